package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.provisioning.ca.CaKeys;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.service.ServiceTls;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.testkit.BrokerFiles;
import dev.holdfast.testkit.ConfigLines;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.Received;
import dev.holdfast.testkit.Refusals;
import dev.holdfast.testkit.ShippedFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators against a real Mosquitto started from the shipped config, reading the CRL, certificates
 * and generated ACL that the provisioning CLI wrote; every operator change SIGHUPs that broker
 * through {@code broker.pid-file}, as in production.
 */
class OperatorsIT {
  static final String DEVICE = "dev-0123456789abcdef";
  static final String STATE = "holdfast/v1/devices/" + DEVICE + "/state";
  static final String EVENTS = "holdfast/v1/devices/" + DEVICE + "/events";
  static final String RELOADED = "Reloading config.";

  @TempDir Path root;
  CliHarness cli;
  Mosquitto broker;
  Path etc;
  Path ops;
  final SecureRandom random = TestRandom.seeded(401);
  KeyPair deviceKeys;
  List<java.security.cert.X509Certificate> deviceChain;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(root);
    ops = root.resolve("ops");
    CliBroker fleet = CliBroker.start(cli, root, "Ops Fleet", null).wire(cli);
    broker = fleet.broker;
    etc = fleet.etc;
    CliBroker.DeviceCert device = CliBroker.issue(cli, root, DEVICE, random);
    deviceKeys = device.keys();
    deviceChain = device.chain();
  }

  @AfterEach
  void tearDown() {
    broker.close();
  }

  MqttTestClient device() throws Exception {
    return MqttTestClient.connect(broker.uri(), DEVICE, Mqtt.options(ServiceTls.context(
        new ServerCredentials(deviceKeys.getPrivate(), deviceChain), deviceChain.get(2), random).getSocketFactory()));
  }

  /** Runs {@code operators add NAME} and waits until the broker has reloaded the ACL it wrote. */
  CliHarness.Result addOperator(String name) {
    long before = reloads();
    CliHarness.Result r = cli.run("operators", "add", name, "--out", ops.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> reloads() > before);
    return r;
  }

  long reloads() {
    return broker.log().lines().filter(l -> l.contains(RELOADED)).count();
  }

  MqttTestClient operator(String name) throws Exception {
    List<java.security.cert.X509Certificate> chain = Pem.certificates(Files.readString(ops.resolve(name + ".pem")));
    var root = Pem.certificates(Files.readString(ops.resolve("fleet-root.pem"))).get(0);
    byte[] der = Pem.decodeAll(Files.readString(ops.resolve(name + ".key")), "PRIVATE KEY").get(0);
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    return MqttTestClient.connect(broker.uri(), "holdfast.operator." + name, Mqtt.options(
        ServiceTls.context(new ServerCredentials(key, List.of(chain.get(0), chain.get(1), root)), root, random)
            .getSocketFactory()));
  }

  @Test
  void anOperatorSeesADevicesRetainedStateAndEvents() throws Exception {
    addOperator("alice");
    try (MqttTestClient device = device()) {
      assertThat(device.publish(STATE, "{\"online\":true}".getBytes(StandardCharsets.UTF_8), 1, true)).isLessThan(0x80);
      try (MqttTestClient alice = operator("alice")) {
        alice.subscribe("holdfast/v1/devices/+/state", 1);
        alice.subscribe("holdfast/v1/devices/+/events", 1);
        Received state = alice.next(Duration.ofSeconds(10));
        assertThat(state.topic()).isEqualTo(STATE);
        assertThat(state.retained()).isTrue();
        assertThat(state.text()).isEqualTo("{\"online\":true}");

        device.publish(EVENTS, "door opened".getBytes(StandardCharsets.UTF_8), 1, false);
        Received event = alice.next(Duration.ofSeconds(10));
        assertThat(event.topic()).isEqualTo(EVENTS);
        assertThat(event.text()).isEqualTo("door opened");
      }
    }
  }

  @Test
  void theMosquittoSubCommandThatOperatorsAddPrintsShowsADevicesRetainedState() throws Exception {
    assertThat(Path.of("/usr/bin/mosquitto_sub")).as("mosquitto_sub: apt-get install -y mosquitto-clients (.ci/run does)")
        .isExecutable();
    String printed = addOperator("alice").out().lines().filter(l -> l.startsWith("mosquitto_sub ")).findFirst()
        .orElseThrow();
    assertThat(printed).isEqualTo("mosquitto_sub -h localhost -p " + broker.port() + " --cafile "
        + ops.resolve("fleet-root.pem") + " --cert " + ops.resolve("alice.pem") + " --key " + ops.resolve("alice.key")
        + " -t 'holdfast/v1/devices/+/state' -v");
    try (MqttTestClient device = device()) {
      device.publish(STATE, "{\"online\":true}".getBytes(StandardCharsets.UTF_8), 1, true);
    }
    Process sub = new ProcessBuilder("sh", "-c", "exec " + printed).redirectErrorStream(true).start();
    try {
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(sub.getInputStream(),
          StandardCharsets.UTF_8)).lines().forEach(lines::add));
      reader.setDaemon(true);
      reader.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(STATE + " {\"online\":true}"));
    } finally {
      sub.destroyForcibly();
    }
  }

  @Test
  void anOperatorCannotPublishToADevicesCommandsNorReadItsProvisioningRequests() throws Exception {
    addOperator("alice");
    try (MqttTestClient device = device(); MqttTestClient alice = operator("alice")) {
      device.subscribe("holdfast/v1/devices/" + DEVICE + "/cmd", 1);
      assertThat(alice.publish("holdfast/v1/devices/" + DEVICE + "/cmd", "{}".getBytes(StandardCharsets.UTF_8), 1,
          false)).isEqualTo(0x87);
      assertThat(alice.publish(STATE, "forged".getBytes(StandardCharsets.UTF_8), 1, true)).isEqualTo(0x87);

      alice.subscribe("holdfast/v1/devices/+/prov/req", 1);
      alice.subscribe("holdfast/v1/devices/+/state", 1);
      device.publish("holdfast/v1/devices/" + DEVICE + "/prov/req", "{}".getBytes(StandardCharsets.UTF_8), 1, false);
      device.publish(STATE, "after".getBytes(StandardCharsets.UTF_8), 1, false);

      Received first = alice.next(Duration.ofSeconds(10));
      assertThat(first.topic()).isEqualTo(STATE);
      assertThat(first.text()).isEqualTo("after");
      assertThat(alice.received()).extracting(Received::topic).doesNotContain(
          "holdfast/v1/devices/" + DEVICE + "/prov/req");
      assertThat(device.received()).isEmpty();
    }
  }

  @Test
  void anOperatorCannotPublishEvenInTheDeviceTreeUnderItsOwnCertificateName() throws Exception {
    addOperator("alice");
    addOperator("bob");
    String own = "holdfast/v1/devices/holdfast.operator.alice/state";
    try (MqttTestClient alice = operator("alice"); MqttTestClient bob = operator("bob");
        MqttTestClient device = device()) {
      assertThat(alice.publish(own, "{\"online\":true}".getBytes(StandardCharsets.UTF_8), 1, true))
          .as("a retained state that looks like a device's").isEqualTo(0x87);
      assertThat(alice.publish("holdfast/v1/devices/holdfast.operator.alice/events", "x".getBytes(StandardCharsets.UTF_8),
          1, false)).isEqualTo(0x87);

      bob.subscribe("holdfast/v1/devices/+/state", 1);
      device.publish(STATE, "marker".getBytes(StandardCharsets.UTF_8), 1, false);
      assertThat(bob.next(Duration.ofSeconds(10)).text()).isEqualTo("marker");
      assertThat(bob.received()).extracting(Received::topic).containsExactly(STATE);
    }
  }

  @Test
  void anEventOnASubTopicReachesAnOperatorsMosquittoSubOnEventsHash() throws Exception {
    addOperator("alice");
    String cmd = "exec mosquitto_sub -h localhost -p " + broker.port() + " --cafile " + ops.resolve("fleet-root.pem")
        + " --cert " + ops.resolve("alice.pem") + " --key " + ops.resolve("alice.key")
        + " -t 'holdfast/v1/devices/+/events/#' -v";
    Process sub = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
    try (MqttTestClient device = device()) {
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(sub.getInputStream(),
          StandardCharsets.UTF_8)).lines().forEach(lines::add));
      reader.setDaemon(true);
      reader.start();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> broker.log().contains("Received SUBSCRIBE from holdfast.operator.alice"));

      assertThat(device.publish(EVENTS + "/door/front", "opened".getBytes(StandardCharsets.UTF_8), 1, false))
          .isLessThan(0x80);
      assertThat(device.publish(EVENTS, "plain".getBytes(StandardCharsets.UTF_8), 1, false)).isLessThan(0x80);

      await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(EVENTS + " plain"));
      assertThat(lines).as("mosquitto_sub printed").containsExactly(EVENTS + "/door/front opened", EVENTS + " plain");
    } finally {
      sub.destroyForcibly();
    }
  }

  @Test
  void twoOperatorsConnectedAtOnceDoNotDisconnectEachOther() throws Exception {
    addOperator("alice");
    addOperator("bob");
    try (MqttTestClient alice = operator("alice"); MqttTestClient bob = operator("bob");
        MqttTestClient device = device()) {
      alice.subscribe("holdfast/v1/devices/+/events", 1);
      bob.subscribe("holdfast/v1/devices/+/events", 1);
      device.publish(EVENTS, "both".getBytes(StandardCharsets.UTF_8), 1, false);

      assertThat(alice.next(Duration.ofSeconds(10)).text()).isEqualTo("both");
      assertThat(bob.next(Duration.ofSeconds(10)).text()).isEqualTo("both");
      assertThat(alice.isConnected()).isTrue();
      assertThat(bob.isConnected()).isTrue();
    }
  }

  @Test
  void aRemovedOperatorIsRefusedOnANewConnectionAfterTheCrlUpdate() throws Exception {
    addOperator("alice");
    addOperator("bob");
    operator("alice").close();

    removeAndAwaitReload("alice");

    Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> operator("alice"));
    operator("bob").close();
    assertThat(Files.readString(etc.resolve("holdfast.acl"))).doesNotContain("holdfast.operator.alice")
        .contains("user holdfast.operator.bob");
    CliHarness.Result list = cli.run("operators", "list");
    assertThat(list.out()).containsPattern("alice\\s+viewer\\s+\\S+\\s+\\S+\\s+REVOKED").containsPattern("bob\\s+viewer\\s+\\S+\\s+\\S+\\s+VALID");
  }

  @Test
  void theGeneratedAclStartsWithTheShippedFileByteForByte() throws Exception {
    addOperator("alice");
    byte[] shipped = Files.readAllBytes(ShippedFiles.acl());
    byte[] generated = Files.readAllBytes(etc.resolve("holdfast.acl"));

    assertThat(generated.length).isGreaterThan(shipped.length);
    assertThat(java.util.Arrays.copyOf(generated, shipped.length)).isEqualTo(shipped);
    assertThat(new String(generated, shipped.length, generated.length - shipped.length, StandardCharsets.UTF_8))
        .contains("user holdfast.operator.alice\ntopic deny holdfast/v1/devices/holdfast.operator.alice/#\n"
            + "topic read holdfast/v1/devices/+/state\ntopic read holdfast/v1/devices/+/events/#\n");
  }

  @Test
  void aRemovedOperatorsOpenSessionStopsReceivingAtOnce() throws Exception {
    addOperator("alice");
    try (MqttTestClient alice = operator("alice"); MqttTestClient device = device()) {
      alice.subscribe("holdfast/v1/devices/+/events", 1);
      removeAndAwaitReload("alice");

      device.subscribe(EVENTS, 1);
      device.publish(EVENTS, "after removal".getBytes(StandardCharsets.UTF_8), 1, false);

      assertThat(device.next(Duration.ofSeconds(10)).text()).isEqualTo("after removal");
      assertThat(alice.received()).isEmpty();
    }
  }

  /**
   * Removes an operator, waits for a reload caused by its SIGHUPs, then reloads once more: the CRL's
   * and the ACL's SIGHUPs come in quick succession and the broker may fold them into one reload.
   */
  void removeAndAwaitReload(String name) {
    long before = reloads();
    CliHarness.Result removed = cli.run("operators", "remove", name);
    assertThat(removed.exit()).as(removed.err()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> reloads() > before);
    broker.hangup();
  }
}
