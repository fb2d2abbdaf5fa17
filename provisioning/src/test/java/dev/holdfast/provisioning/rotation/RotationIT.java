package dev.holdfast.provisioning.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.common.retry.Backoff;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.apikeys.Verification;
import dev.holdfast.provisioning.broker.BrokerReloader;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.ca.SerialNumbers;
import dev.holdfast.provisioning.credentials.CommandSigner;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.service.ProvisioningResponder;
import dev.holdfast.provisioning.service.ServiceConnection;
import dev.holdfast.provisioning.testing.FleetBroker;
import dev.holdfast.provisioning.testing.RotatingDevice;
import dev.holdfast.testkit.MqttTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotation over a real Mosquitto with the shipped configuration: the device asks over its old
 * connection, reconnects with the new certificate, confirms; the broker then refuses the old
 * certificate (CRL rewritten, SIGHUP) and the old API key is refused.
 */
class RotationIT {
  @TempDir Path dir;
  FleetBroker fleet;
  ScheduledExecutorService scheduler;
  ExecutorService rotations;
  ServiceConnection service;
  ReturningDevices returning;
  ApiKeyService keys;

  @BeforeEach
  void setUp() throws Exception {
    fleet = new FleetBroker(dir, 141);
    Path pidFile = dir.resolve("mosquitto.pid");
    Files.writeString(pidFile, Long.toString(fleet.broker.pid()));
    keys = ApiKeyService.open(fleet.pki.registry, fleet.pki.clock, fleet.pki.random);
    RotationService rotation = new RotationService(fleet.pki.registry, fleet.pki.ca, keys,
        AnswerSigner.of(fleet.pki.fleet), fleet.pki.batchedSync(new BrokerReloader(pidFile)),
        RotationSettings.defaults(), fleet.pki.clock, fleet.pki.random, step -> { });
    scheduler = Executors.newSingleThreadScheduledExecutor();
    rotations = Executors.newSingleThreadExecutor();
    ProvisioningResponder responder = new ProvisioningResponder(rotation, rotations);
    returning = new ReturningDevices(fleet.pki.registry, new RemoteRotation(fleet.pki.registry,
        new CommandSigner(fleet.pki.registry, fleet.pki.random), fleet.pki.clock, fleet.pki.random, scheduler),
        fleet.pki.clock, rotations);
    service = new ServiceConnection(fleet.broker.uri(), ServiceCredentials.SERVICE_CN, fleet.serviceTls(),
        ReturningDevices.subscriptions(ProvisioningResponder.subscriptions()), returning.besides(responder),
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), scheduler, new SplittableRandom(5)).start();
    await().atMost(Duration.ofSeconds(15)).until(service::isConnected);
  }

  @AfterEach
  void tearDown() {
    service.close();
    rotations.shutdownNow();
    scheduler.shutdownNow();
    fleet.close();
  }

  static ProvAnswer ask(MqttTestClient client, String device, byte[] payload) throws Exception {
    MqttProperties p = new MqttProperties();
    p.setResponseTopic(Topics.provisioningResponses(device));
    p.setCorrelationData(new byte[] {1});
    assertThat(client.publish(Topics.provisioningRequests(device), new MqttMessage(payload, 1, false, p)))
        .isLessThan(0x80);
    return ProvAnswer.parse(client.next(Duration.ofSeconds(15)).payload());
  }

  boolean refused(FleetBroker.Device d) {
    try (MqttTestClient c = fleet.connect(d)) {
      return !c.isConnected();
    } catch (MqttException e) {
      return true;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aDeviceRotatesOverTheBrokerAndItsOldCertificateAndKeyAreRefusedAfterTheConfirm() throws Exception {
    FleetBroker.Device old = fleet.device("dev-rotation00000001");
    String oldKey = keys.create(old.id(), Set.of("messages:send"), Duration.ofDays(90), "test").ok().orElseThrow()
        .key().reveal();
    RotatingDevice device = new RotatingDevice(old.id(), old.keys(), fleet.pki.random);
    RenewResponse renewed;
    try (MqttTestClient client = fleet.connect(old)) {
      assertThat(client.subscribe(Topics.provisioningResponses(old.id()), 1)).isLessThan(0x80);
      ProvAnswer a = ask(client, old.id(), device.renewBytes("r-it-1", fleet.pki.clock.instant()));
      assertThat(a).as(a.toJson()).isInstanceOf(RenewResponse.class);
      renewed = (RenewResponse) a;
    }
    String newSerial = SerialNumbers.hex(renewed.chain().get(0).getSerialNumber());
    FleetBroker.Device fresh = new FleetBroker.Device(old.id(), device.next,
        new IssuedCertificate(old.id(), newSerial, renewed.chain()));
    assertThat(keys.verify(oldKey).reason()).as("old key during the grace").isEqualTo(Verification.Reason.VALID);
    assertThat(refused(old)).as("old certificate before the confirm").isFalse();

    try (MqttTestClient client = fleet.connect(fresh)) {
      assertThat(client.subscribe(Topics.provisioningResponses(old.id()), 1)).isLessThan(0x80);
      ProvAnswer a = ask(client, old.id(), device.confirmBytes("r-it-1", newSerial, fleet.pki.clock.instant()));
      assertThat(a).as(a.toJson()).isInstanceOf(ConfirmResponse.class);
    }

    assertThat(keys.verify(oldKey).reason()).isEqualTo(Verification.Reason.REVOKED);
    assertThat(keys.verify(device.apiKey(renewed)).reason()).isEqualTo(Verification.Reason.VALID);
    await().atMost(Duration.ofSeconds(15)).until(() -> refused(old));
    try (MqttTestClient c = fleet.connect(fresh)) {
      assertThat(c.isConnected()).isTrue();
    }
  }

  @Test
  void rotateDeviceSendsASignedRotateCommandAndReturnsOnceTheDeviceHasConfirmed() throws Exception {
    FleetBroker.Device old = fleet.device("dev-remote0000000001");
    keys.create(old.id(), Set.of("messages:send"), Duration.ofDays(90), "test");
    RotatingDevice device = new RotatingDevice(old.id(), old.keys(), fleet.pki.random);
    RemoteRotation remote = new RemoteRotation(fleet.pki.registry,
        new CommandSigner(fleet.pki.registry, fleet.pki.random), fleet.pki.clock, fleet.pki.random, scheduler);
    ExecutorService operator = Executors.newSingleThreadExecutor();
    MqttTestClient client = fleet.connect(old);
    try {
      assertThat(client.subscribe(Topics.commands(old.id()), 1)).isLessThan(0x80);
      assertThat(client.subscribe(Topics.provisioningResponses(old.id()), 1)).isLessThan(0x80);
      Future<RemoteRotation.Outcome> outcome = operator.submit(() -> remote.rotate(service, old.id(),
          Duration.ofSeconds(30)));

      Command command = Command.parse(client.next(Duration.ofSeconds(15)).payload());
      assertThat(command.type()).isEqualTo(Command.ROTATE);
      assertThat(command.check(fleet.pki.fleet.commandSigningPublicKey(), old.id(), fleet.pki.clock.instant(),
          Duration.ofMinutes(5))).isEmpty();
      RenewResponse renewed = (RenewResponse) ask(client, old.id(), device.renewBytes("r-remote",
          fleet.pki.clock.instant()));
      String newSerial = SerialNumbers.hex(renewed.chain().get(0).getSerialNumber());
      client.close();
      try (MqttTestClient fresh = fleet.connect(new FleetBroker.Device(old.id(), device.next,
          new IssuedCertificate(old.id(), newSerial, renewed.chain())))) {
        assertThat(fresh.subscribe(Topics.provisioningResponses(old.id()), 1)).isLessThan(0x80);
        assertThat(ask(fresh, old.id(), device.confirmBytes("r-remote", newSerial, fleet.pki.clock.instant())))
            .isInstanceOf(ConfirmResponse.class);
      }

      RemoteRotation.Outcome done = outcome.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(done).isInstanceOf(RemoteRotation.Outcome.Confirmed.class);
      assertThat(((RemoteRotation.Outcome.Confirmed) done).rotation().newSerial()).isEqualTo(newSerial);
    } finally {
      operator.shutdownNow();
      if (client.isConnected()) {
        client.close();
      }
    }
  }

  @Test
  void rotateDeviceEndsTimedOutAtTheDeadlineOfTheInjectedClockWhenTheDeviceNeverConfirms() throws Exception {
    FleetBroker.Device silent = fleet.device("dev-silent0000000001");
    RemoteRotation remote = new RemoteRotation(fleet.pki.registry,
        new CommandSigner(fleet.pki.registry, fleet.pki.random), fleet.pki.clock, fleet.pki.random, scheduler);
    ExecutorService operator = Executors.newSingleThreadExecutor();
    try (MqttTestClient client = fleet.connect(silent)) {
      assertThat(client.subscribe(Topics.commands(silent.id()), 1)).isLessThan(0x80);
      Future<RemoteRotation.Outcome> outcome = operator.submit(() -> remote.rotate(service, silent.id(),
          Duration.ofMinutes(2)));
      assertThat(Command.parse(client.next(Duration.ofSeconds(15)).payload()).type()).isEqualTo(Command.ROTATE);

      fleet.pki.clock.advance(Duration.ofMinutes(2)); // the device stays silent: no waiting two real minutes

      RemoteRotation.Outcome done = outcome.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(done).isInstanceOf(RemoteRotation.Outcome.TimedOut.class);
      assertThat(((RemoteRotation.Outcome.TimedOut) done).pending()).isEmpty();
    } finally {
      operator.shutdownNow();
    }
  }

  /** {@code count} enrolled devices with API keys, connected and serving their commands on {@code threads}. */
  List<CommandedDevice> fleetOf(CommandedDevice.Fleet devices, String prefix, int count, ExecutorService threads,
      boolean online) throws Exception {
    List<CommandedDevice> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      FleetBroker.Device d = fleet.device(String.format("dev-%s%012d", prefix, i));
      keys.create(d.id(), Set.of("messages:send"), Duration.ofDays(90), "test").ok().orElseThrow();
      CommandedDevice device = new CommandedDevice(devices, d);
      if (online) {
        threads.submit(device.connect());
      }
      out.add(device);
    }
    return out;
  }

  FleetRotation fleetRotation(int maxInFlight, Duration timeout) throws Exception {
    return new FleetRotation(fleet.pki.registry, new RemoteRotation(fleet.pki.registry,
        new CommandSigner(fleet.pki.registry, fleet.pki.random), fleet.pki.clock, fleet.pki.random, scheduler),
        fleet.pki.clock, maxInFlight, timeout);
  }

  boolean confirmedIn(FleetRotation rotation, FleetRotation.Campaign campaign, List<CommandedDevice> devices)
      throws Exception {
    for (CommandedDevice d : devices) {
      if (!rotation.rotatedIn(campaign, d.id())) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aFleetOfTwoHundredRotatesWithNeverMoreThanTwentyInFlightAndEachDeviceConfirms() throws Exception {
    CommandedDevice.Fleet devices = new CommandedDevice.Fleet(fleet);
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      List<CommandedDevice> all = fleetOf(devices, "fleet", 200, threads, true);
      FleetRotation rotation = fleetRotation(20, Duration.ofMinutes(2));
      FleetRotation.Campaign campaign = rotation.begin("all", "operator:test");
      List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());

      List<FleetRotation.DeviceOutcome> outcomes = rotation.rotate(service,
          all.stream().map(CommandedDevice::id).toList(), (o, done, total) -> seen.add(done + "/" + total));

      assertThat(outcomes).hasSize(200).allSatisfy(o -> assertThat(o.result()).as(o.detail())
          .isEqualTo(FleetRotation.Result.CONFIRMED));
      assertThat(devices.failures.get()).isZero();
      assertThat(devices.mostAtOnce.get()).as("devices between command and confirm at once").isBetween(2, 20);
      assertThat(seen).hasSize(200).contains("200/200");
      assertThat(confirmedIn(rotation, campaign, all)).isTrue();
      assertThat(outcomes.stream().map(o -> o.rotation().orElseThrow().newSerial()).distinct()).hasSize(200);
      rotation.finish(campaign, "operator:test");
      assertThat(rotation.begin("all", "operator:test").resumed()).as("a finished campaign is not resumed").isFalse();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void devicesOfflineDuringAFleetRotationArePendingAndTheSameCampaignResumedRotatesOnlyThem() throws Exception {
    CommandedDevice.Fleet devices = new CommandedDevice.Fleet(fleet);
    ExecutorService threads = Executors.newCachedThreadPool();
    ExecutorService operator = Executors.newSingleThreadExecutor();
    try {
      List<CommandedDevice> online = fleetOf(devices, "online", 6, threads, true);
      List<CommandedDevice> offline = fleetOf(devices, "offline", 3, threads, false);
      List<String> ids = java.util.stream.Stream.concat(online.stream(), offline.stream()).map(CommandedDevice::id)
          .sorted().toList();
      FleetRotation rotation = fleetRotation(4, Duration.ofMinutes(2));
      FleetRotation.Campaign campaign = rotation.begin("all", "operator:test");
      Future<List<FleetRotation.DeviceOutcome>> first = operator.submit(() -> rotation.rotate(service, ids,
          (o, done, total) -> { }));
      await().atMost(Duration.ofSeconds(60)).until(() -> confirmedIn(rotation, campaign, online));

      fleet.pki.clock.advance(Duration.ofMinutes(2)); // the offline ones never answer: no waiting two real minutes

      List<FleetRotation.DeviceOutcome> outcomes = first.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(outcomes.stream().filter(o -> o.result() == FleetRotation.Result.OFFLINE_PENDING)
          .map(FleetRotation.DeviceOutcome::deviceId)).containsExactlyInAnyOrderElementsOf(
              offline.stream().map(CommandedDevice::id).toList());
      assertThat(outcomes).filteredOn(o -> o.result() == FleetRotation.Result.CONFIRMED).hasSize(6);

      for (CommandedDevice d : offline) { // they come back
        threads.submit(d.connect());
      }
      FleetRotation.Campaign again = rotation.begin("all", "operator:test");
      assertThat(again.resumed()).isTrue();
      assertThat(again.startedAt()).isEqualTo(campaign.startedAt());
      List<String> rest = new ArrayList<>();
      for (String id : ids) {
        if (!rotation.rotatedIn(again, id)) {
          rest.add(id);
        }
      }
      assertThat(rest).containsExactlyInAnyOrderElementsOf(offline.stream().map(CommandedDevice::id).toList());
      List<FleetRotation.DeviceOutcome> resumed = rotation.rotate(service, rest, (o, done, total) -> { });
      assertThat(resumed).allSatisfy(o -> assertThat(o.result()).as(o.detail())
          .isEqualTo(FleetRotation.Result.CONFIRMED));
      assertThat(confirmedIn(rotation, again, online) && confirmedIn(rotation, again, offline)).isTrue();
    } finally {
      operator.shutdownNow();
      threads.shutdownNow();
    }
  }

  @Test
  void anOfflineDeviceThatComesBackWhileItsCampaignIsOpenRotatesWithoutTheCampaignBeingRunAgain() throws Exception {
    CommandedDevice.Fleet devices = new CommandedDevice.Fleet(fleet);
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      CommandedDevice away = fleetOf(devices, "away", 1, threads, false).get(0);
      FleetRotation rotation = fleetRotation(4, Duration.ofMinutes(2));
      FleetRotation.Campaign campaign = rotation.begin("all", "operator:test"); // run while it was offline

      threads.submit(away.connect().announce());

      await().atMost(Duration.ofSeconds(60)).until(() -> rotation.rotatedIn(campaign, away.id()));
      assertThat(devices.failures.get()).isZero();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aDeviceComingBackGetsACommandOnlyFromAnOpenCampaignThatSelectsItAndAtMostOnePerCommandLifetime()
      throws Exception {
    FleetBroker.Device d = fleet.device("dev-comeback00000001");
    keys.create(d.id(), Set.of("messages:send"), Duration.ofDays(90), "test").ok().orElseThrow();
    assertThat(returning.cameOnline(d.id(), service)).as("no campaign open").isFalse();

    FleetRotation rotation = fleetRotation(4, Duration.ofMinutes(2));
    FleetRotation.Campaign pilots = rotation.begin("label pilot", "operator:test");
    fleet.pki.clock.advance(ReturningDevices.CAMPAIGNS_READ_EVERY); // the campaigns are read again
    assertThat(returning.cameOnline(d.id(), service)).as("the campaign does not select it").isFalse();

    fleet.pki.registry.write(tx -> {
      tx.devices().put(tx.devices().find(d.id()).orElseThrow().withLabels(Set.of("pilot")));
      return null;
    });
    try (MqttTestClient client = fleet.connect(d)) {
      assertThat(client.subscribe(Topics.commands(d.id()), 1)).isLessThan(0x80);
      assertThat(returning.cameOnline(d.id(), service)).isTrue();
      Command command = Command.parse(client.next(Duration.ofSeconds(15)).payload());
      assertThat(command.type()).isEqualTo(Command.ROTATE);
      assertThat(command.check(fleet.pki.fleet.commandSigningPublicKey(), d.id(), fleet.pki.clock.instant(),
          Duration.ofMinutes(5))).isEmpty();
    }
    assertThat(returning.cameOnline(d.id(), service)).as("its command is still valid").isFalse();
    fleet.pki.clock.advance(Duration.ofMinutes(5));
    assertThat(returning.cameOnline(d.id(), service)).as("its command expired unanswered").isTrue();

    rotation.finish(pilots, "operator:test");
    fleet.pki.clock.advance(Duration.ofMinutes(5));
    assertThat(returning.cameOnline(d.id(), service)).as("the campaign is finished").isFalse();
  }

  @Test
  void aRenewPublishedOnAnotherDevicesBehalfIsRefusedAndIssuesNothing() throws Exception {
    FleetBroker.Device mallory = fleet.device("dev-mallory000000001");
    FleetBroker.Device victim = fleet.device("dev-victim0000000001");
    keys.create(victim.id(), Set.of("messages:send"), Duration.ofDays(90), "test");
    RotatingDevice forged = new RotatingDevice(victim.id(), mallory.keys(), fleet.pki.random);
    int certificates = fleet.pki.registry.read(tx -> tx.certificates().all().size());
    try (MqttTestClient client = fleet.connect(mallory)) {
      assertThat(client.subscribe(Topics.provisioningResponses(mallory.id()), 1)).isLessThan(0x80);
      ProvAnswer a = ask(client, mallory.id(), forged.renewBytes("r-x", fleet.pki.clock.instant()));
      assertThat(a).isInstanceOf(ProvError.class);
      assertThat(((ProvError) a).code()).isEqualTo(ProvError.Code.BAD_REQUEST);
    }
    int after = fleet.pki.registry.read(tx -> tx.certificates().all().size());
    assertThat(after).isEqualTo(certificates);
  }
}
