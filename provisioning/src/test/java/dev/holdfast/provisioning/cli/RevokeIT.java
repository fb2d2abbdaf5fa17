package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.testkit.ConfigLines;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.Refusals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code revoke --device} against a real Mosquitto started from the shipped config, reading the CRL,
 * certificates and ACL the CLI wrote, with the device connected under the certificate the CLI issued.
 */
class RevokeIT {
  static final String DEVICE = "dev-0123456789abcdef";
  static final String EVENTS = "holdfast/v1/devices/" + DEVICE + "/events";
  /** The issue's bound: a revoked device's open session is gone within this. */
  static final Duration CUT_WITHIN = Duration.ofSeconds(5);

  @TempDir Path root;
  CliHarness cli;
  CliBroker fleet;
  Mosquitto broker;
  Path etc;
  final SecureRandom random = TestRandom.seeded(501);
  CliBroker.DeviceCert device;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(root);
    fleet = CliBroker.start(cli, root, "Revoke Fleet", null).wire(cli);
    broker = fleet.broker;
    etc = fleet.etc;
    device = CliBroker.issue(cli, root, DEVICE, random);
    assertThat(cli.run("keys", "create", "--device", DEVICE).exit()).isZero();
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  MqttTestClient device() throws Exception {
    return fleet.connect(device, random);
  }

  /** Waits (at most {@link #CUT_WITHIN}) until the client has seen its connection end; how long that took from {@code since}. */
  static Duration awaitCut(MqttTestClient live, long since) {
    await("the revoked device's session to end").atMost(CUT_WITHIN).pollInterval(Duration.ofMillis(5))
        .until(() -> !live.isConnected());
    Duration took = Duration.ofNanos(System.nanoTime() - since);
    assertThat(live.disconnectReason()).as("the client observed its connection end").isNotNull();
    return took;
  }

  @Test
  void revokeCutsTheDevicesLiveSessionWithinFiveSecondsAndItsReconnectIsRefused() throws Exception {
    try (MqttTestClient live = device()) {
      assertThat(live.publish(EVENTS, bytes("before"), 1, false)).isLessThan(0x80);

      long start = System.nanoTime();
      CliHarness.Result revoked = cli.run("revoke", "--device", DEVICE);
      Duration command = Duration.ofNanos(System.nanoTime() - start);
      Duration cut = awaitCut(live, start);

      System.out.println("MEASURED revoke --device: command " + command.toMillis() + " ms, live session ended "
          + cut.toMillis() + " ms after the command started");
      assertThat(revoked.exit()).as(revoked.err()).isZero();
      assertThat(revoked.out()).contains("revoked API key").contains("broker signalled")
          .contains("open MQTT session of " + DEVICE + " closed");
      assertThat(cut).isLessThan(CUT_WITHIN);
    }
    Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, this::device);
    assertThat(Files.readString(etc.resolve("holdfast.acl"))).contains("\nuser " + DEVICE + "\ntopic deny #\n");
    assertThat(cli.run("keys", "list", "--device", DEVICE).out()).contains("REVOKED").doesNotContain("ACTIVE");
    assertThat(cli.run("devices", "show", DEVICE).out()).contains("state: REVOKED").contains("broker: up to date");
    assertThat(cli.run("audit", "--device", DEVICE).out()).contains("device.revoked").contains("key.revoked")
        .contains("device.session-cut");
  }

  @Test
  void theDenyBlockOutlivesEveryLaterAclRewrite() throws Exception {
    assertThat(cli.run("revoke", "--device", DEVICE).exit()).isZero();

    assertThat(cli.run("operators", "add", "alice", "--out", root.resolve("ops").toString()).exit()).isZero();
    assertThat(cli.run("broker", "certs", "--out", etc.toString(), "--name", "localhost,127.0.0.1").exit()).isZero();

    assertThat(Files.readString(etc.resolve("holdfast.acl"))).contains("user holdfast.operator.alice\n")
        .contains("\nuser " + DEVICE + "\ntopic deny #\n");
  }

  @Test
  void aReloadThatFailsExits69IsRecordedAndBrokerReloadCutsTheSessionOnceFixed() throws Exception {
    Path unreadable = Files.createDirectory(root.resolve("not-a-pid-file"));
    ConfigLines.set(cli.dir.resolve(ProvisioningConfig.FILE), "broker.pid-file=" + unreadable);
    try (MqttTestClient live = device()) {
      CliHarness.Result revoked = cli.run("revoke", "--device", DEVICE);

      assertThat(revoked.exit()).isEqualTo(ExitCode.UNAVAILABLE.code()).isEqualTo(69);
      assertThat(revoked.err()).contains("device " + DEVICE + " is revoked in the registry")
          .contains("cannot read the broker pid file " + unreadable).contains("'serve' retries it")
          .contains("broker reload");
      assertThat(live.publish(EVENTS, bytes("the broker has not taken it"), 1, false)).isLessThan(0x80);
      assertThat(cli.run("devices", "show", DEVICE).out()).contains("broker: NOT up to date since")
          .contains("device " + DEVICE + " revoked")
          .contains("this device's open MQTT session is not closed yet").contains("cannot read the broker pid file");

      ConfigLines.set(cli.dir.resolve(ProvisioningConfig.FILE), "broker.pid-file=" + fleet.pidFile);
      long start = System.nanoTime();
      CliHarness.Result reload = cli.run("broker", "reload");
      Duration cut = awaitCut(live, start);

      System.out.println("MEASURED broker reload after a failed one: live session ended " + cut.toMillis() + " ms "
          + "after the command started");
      assertThat(reload.exit()).as(reload.err()).isZero();
      assertThat(reload.out()).contains("pending since").contains("open MQTT session of " + DEVICE + " closed");
    }
    Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, this::device);
    assertThat(cli.run("devices", "show", DEVICE).out()).contains("broker: up to date");
  }

  @Test
  void revokedWhileTheBrokerIsDownTheDeviceIsCutByServesRetryWhenTheBrokerReturns() throws Exception {
    try (MqttTestClient live = device()) {
      broker.stop();
      await().atMost(CUT_WITHIN).until(() -> !live.isConnected());
    }
    CliHarness.Result revoked = cli.run("revoke", "--device", DEVICE);
    assertThat(revoked.exit()).isEqualTo(69);
    assertThat(revoked.err()).contains("kill -HUP").contains("'serve' retries it");

    Path log = root.resolve("serve.log");
    Process serve = new ProcessBuilder("java", "-jar", ProvisioningJarIT.JAR.toString(), "serve", "--dir",
        cli.dir.toString(), "--key-file", cli.keyFile.toString(), "--listen", "127.0.0.1:0", "--insecure-http", "--admin-listen", "127.0.0.1:0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await("serve's first attempt").atMost(Duration.ofSeconds(30))
          .until(() -> Files.exists(log) && Files.readString(log).contains("has still not taken the pending change"));
      broker.start();
      Files.writeString(fleet.pidFile, Long.toString(broker.pid()));
      await("serve's retry, every " + BrokerUpdates.RETRY).atMost(BrokerUpdates.RETRY.plusSeconds(15))
          .until(() -> Files.readString(log).contains("the broker took the pending change"));
    } finally {
      serve.destroy();
      await().atMost(Duration.ofSeconds(30)).until(() -> !serve.isAlive());
    }
    Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, this::device);
    assertThat(cli.run("devices", "show", DEVICE).out()).contains("broker: up to date");
    assertThat(cli.run("audit", "--device", DEVICE).out()).contains("device.session-cut");
  }

  @Test
  void aRevokedDeviceEnrollsAgainWithANewTokenUnderANewIdAndNeverGetsACertificateUnderItsOldOne() throws Exception {
    assertThat(cli.run("revoke", "--device", DEVICE).exit()).isZero();
    assertThat(cli.run("--help").out()).contains("revoke").doesNotContain("unrevoke");
    assertThat(cli.run("unrevoke", "--device", DEVICE).exit()).isEqualTo(ExitCode.USAGE.code());

    Path csr = root.resolve("again.csr");
    Files.writeString(csr, Pem.encode("CERTIFICATE REQUEST", Csrs.valid(P256.generate(random))));
    CliHarness.Result sameId = cli.run("certs", "issue", "--csr", csr.toString(), "--device", DEVICE);
    assertThat(sameId.exit()).isEqualTo(ExitCode.DATA_ERROR.code());
    assertThat(sameId.err()).contains("device " + DEVICE + " is revoked; enroll it again under a new id");

    String token = cli.run("tokens", "create", "--profile", "default").out().lines().findFirst().orElseThrow();
    Path request = root.resolve("request.json");
    Files.writeString(request, new BenchDevice(TestRandom.seeded(502)).requestJson(token));
    CliHarness.Result enrolled = cli.run("enroll", "--in", request.toString(), "--out",
        root.resolve("response.json").toString(), "--json");
    assertThat(enrolled.exit()).as(enrolled.err()).isZero();
    @SuppressWarnings("unchecked")
    String newId = ((Map<String, Object>) JsonParser.parse(enrolled.out())).get("device").toString();
    assertThat(newId).startsWith("dev-").isNotEqualTo(DEVICE);
    assertThat(cli.run("devices", "show", newId).out()).contains("state: ACTIVE");
    assertThat(cli.run("devices", "show", DEVICE).out()).contains("state: REVOKED");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
