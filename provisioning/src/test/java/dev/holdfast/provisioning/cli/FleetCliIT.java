package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.service.ServiceTls;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.testing.PongingDevice;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.testkit.BrokerFiles;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's path end to end against a real Mosquitto: init, broker certs, air-gapped
 * enrollment, the enrolled device on the broker, devices ping.
 */
class FleetCliIT {
  @TempDir Path root;
  CliHarness cli;
  Mosquitto broker;
  Path etc;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(root);
    CliBroker fleet = CliBroker.start(cli, root, "Ping Fleet", null);
    broker = fleet.broker;
    etc = fleet.etc;
  }

  @AfterEach
  void tearDown() {
    broker.close();
  }

  record Enrolled(BenchDevice device, EnrollResponse response) {}

  Enrolled enroll() throws Exception {
    String token = cli.run("tokens", "create", "--profile", "default").out().lines().findFirst().orElseThrow();
    BenchDevice device = new BenchDevice(TestRandom.seeded(111));
    Files.writeString(root.resolve("req.json"), device.requestJson(token));
    CliHarness.Result r = cli.run("enroll", "--in", root.resolve("req.json").toString(), "--out",
        root.resolve("res.json").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    return new Enrolled(device, EnrollResponse.parse(Files.readString(root.resolve("res.json"))));
  }

  MqttTestClient connect(Enrolled e) throws Exception {
    var tls = ServiceTls.context(new ServerCredentials(e.device().keys.getPrivate(), e.response().chain()),
        e.response().chain().get(2), TestRandom.seeded(112)).getSocketFactory();
    return MqttTestClient.connect(broker.uri(), e.response().deviceId(), Mqtt.options(tls));
  }

  @Test
  void pingsAnEnrolledDeviceWithACommandItVerifiesWithThePinnedCommandKey() throws Exception {
    Enrolled e = enroll();
    PublicKey pinned = e.response().commandKey();
    assertThat(pinned.getEncoded()).isEqualTo(Pem.decodeAll(
        Files.readString(cli.dir.resolve("command-signing.pub.pem")), "PUBLIC KEY").get(0));

    try (PongingDevice device = new PongingDevice(connect(e), e.response().deviceId(), pinned, Clock.systemUTC())) {
      CliHarness.Result ping = cli.run("devices", "ping", e.response().deviceId(), "--mqtt", broker.uri(),
          "--timeout", "10s");

      assertThat(ping.exit()).as(ping.err()).isZero();
      assertThat(ping.out()).matches("(?s)pong from " + e.response().deviceId() + " in \\d+ ms \\(command ping-\\w+\\)\\s*");
      assertThat(device.refused).isEmpty();
      assertThat(device.answered).hasSize(1);
      assertThat(ping.out()).contains(device.answered.get(0).id());
    }
  }

  @Test
  void timesOutWithItsOwnExitCodeWhenTheDeviceDoesNotAnswerEvenWithAStalePongRetained() throws Exception {
    Enrolled e = enroll();
    try (PongingDevice device = new PongingDevice(connect(e), e.response().deviceId(), e.response().commandKey(),
        Clock.systemUTC())) {
      assertThat(cli.run("devices", "ping", e.response().deviceId(), "--mqtt", broker.uri()).exit()).isZero();
      assertThat(device.answered).hasSize(1);
    }

    CliHarness.Result ping = cli.run("devices", "ping", e.response().deviceId(), "--mqtt", broker.uri(),
        "--timeout", "1s");

    assertThat(ping.exit()).isEqualTo(ExitCode.UNAVAILABLE.code());
    assertThat(ping.err()).contains("did not answer ping").contains(e.response().deviceId());
  }

  @Test
  void refusesToPingAnUnknownDeviceOrWithoutABroker() {
    CliHarness.Result unknown = cli.run("devices", "ping", "dev-nosuchdevice0000", "--mqtt", broker.uri());
    CliHarness.Result noBroker = cli.run("devices", "ping", "dev-nosuchdevice0000");

    assertThat(unknown.exit()).isEqualTo(ExitCode.NO_INPUT.code());
    assertThat(noBroker.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(noBroker.err()).contains("--mqtt");
  }

  @Test
  void serveEnrollsOverHttpsAndAnswersProvisioningRequestsOnTheBroker() throws Exception {
    String token = cli.run("tokens", "create", "--profile", "default").out().lines().findFirst().orElseThrow();
    List<String> err = new CopyOnWriteArrayList<>();
    List<String> cmd = List.of("java", "-jar", ProvisioningJarIT.JAR.toString(), "serve",
        "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--mqtt", broker.uri(), "--dir", cli.dir.toString(), "--key-file",
        cli.keyFile.toString());
    BenchDevice bench = new BenchDevice(TestRandom.seeded(113));
    String apiKey;
    try (ProvisioningJarIT.RelayProcess serve = ProvisioningJarIT.RelayProcess.start(cmd, err)) {
      await().atMost(Duration.ofSeconds(30))
          .until(() -> err.stream().anyMatch(l -> l.contains("connected to the broker")));
      var response = ProvisioningJarIT.client(cli.dir).send(HttpRequest.newBuilder(
          URI.create("https://localhost:" + serve.port() + "/v1/enroll"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(bench.requestJson(token))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      Enrolled e = new Enrolled(bench, EnrollResponse.parse(response.body()));
      apiKey = bench.apiKey(e.response());
      String id = e.response().deviceId();

      try (MqttTestClient device = connect(e)) {
        assertThat(device.subscribe(Topics.provisioningResponses(id), 1)).isLessThan(0x80);
        var props = new MqttProperties();
        props.setResponseTopic(Topics.provisioningResponses(id));
        props.setCorrelationData(new byte[] {42});
        assertThat(device.publish(Topics.provisioningRequests(id),
            new MqttMessage("{}".getBytes(), 1, false, props))).isLessThan(0x80);
        var answer = device.next(Duration.ofSeconds(10));
        // serve answers rotations: a request that is none is refused as a bad request, naming what is wrong
        assertThat(answer.text()).contains("\"error\":\"bad_request\"").contains("version");
        assertThat(answer.properties().getCorrelationData()).containsExactly(42);
      }
    }
    assertThat(String.join("\n", err)).contains("device ").doesNotContain(token).doesNotContain(apiKey);
  }
}
