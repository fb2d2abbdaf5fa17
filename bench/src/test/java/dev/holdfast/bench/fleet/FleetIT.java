package dev.holdfast.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.Received;
import dev.holdfast.testkit.SecretScan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench flow end to end, every part real: provisioning {@code serve} and the agents as
 * processes, Mosquitto with the shipped configuration, HTTPS enrollment against the fleet root,
 * SMS through the relay to a recording Twilio-compatible provider.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetIT {
  private static final Pattern DEVICE_ID = Pattern.compile("dev-[0-9a-z]{16}");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private Path dir;
  private Fleet fleet;

  @BeforeAll
  void startTheFleet(@TempDir Path temp) throws Exception {
    dir = temp;
    fleet = Fleet.start(dir, 16);
  }

  @AfterAll
  void stopTheFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void aDeviceEnrolledAtTheBenchComesOnlineSendsAnSmsThroughTheRelayAndAnEventOverMqtt() throws Exception {
    AgentProcess agent = fleet.newAgent("bench-1", List.of());
    String token = fleet.token();
    String device = deviceId(fleet.enroll(agent, token));
    agent.start();
    try (MqttTestClient operator = fleet.operator()) {
      operator.subscribe(Topics.state(device), 1);
      await().atMost(PATIENCE).until(() -> online(nextOn(operator, Topics.state(device))));
      operator.subscribe(Topics.state(device), 1); // subscribing again: the broker hands over what it retained
      Received state = nextOn(operator, Topics.state(device));
      assertThat(state.retained()).isTrue();
      assertThat(JsonParser.parseObject(state.text())).containsEntry("device", device).containsEntry("online", true);

      operator.subscribe(Topics.events(device), 1);
      Path event = agent.home().resolve("event.json");
      Files.writeString(event, "{\"door\":\"open\"}");
      assertThat(agent.run("send", "event", "--body-file", event.toString(), "--idempotency-key", "door-1").code())
          .isZero();
      Received arrived = nextOn(operator, Topics.events(device));
      assertThat(arrived.text()).isEqualTo("{\"door\":\"open\"}");
      assertThat(arrived.properties().getUserProperties())
          .anySatisfy(p -> assertThat(p.getKey() + "=" + p.getValue()).isEqualTo("idempotency-key=door-1"));
    }

    Path body = agent.home().resolve("sms.txt");
    Files.writeString(body, "Gate 4 opened at 07:12");
    assertThat(agent.run("send", "sms", "--to", "+15551234567", "--body-file", body.toString()).code()).isZero();
    await().atMost(PATIENCE).until(() -> !fleet.sms().received().isEmpty());
    assertThat(fleet.sms().received()).containsExactly(
        new FakeSmsProvider.Sms("+15551234567", Fleet.FROM, "Gate 4 opened at 07:12"));

    fleet.provisioning().stopServe(); // an operator command needs the data directory that serve holds
    try {
      ProvisioningProcess.Result ping = fleet.provisioning().run("", "devices", "ping", device, "--mqtt",
          fleet.broker().uri());
      assertThat(ping.code()).as(ping.out() + ping.err()).isZero();
      assertThat(ping.out()).contains(device);
    } finally {
      fleet.provisioning().startServe(List.of("--mqtt", fleet.broker().uri()));
    }

    Map<String, Object> status = statusJson(agent);
    assertThat(status.toString()).contains(device);
    assertThat(agent.stop()).isEqualTo(143);
    assertNoSecretReadable(agent, token);
  }

  @Test
  void aTokenUsedByOneDeviceIsRefusedToTheNextWithItsOwnExitCode() throws Exception {
    String token = fleet.token();
    AgentProcess first = fleet.newAgent("reuse-1", List.of());
    deviceId(fleet.enroll(first, token));
    AgentProcess second = fleet.newAgent("reuse-2", List.of());
    AgentProcess.Result r = fleet.enroll(second, token);
    assertThat(r.code()).as(r.out()).isEqualTo(84);
    assertThat(r.out()).contains("already used");
    assertThat(second.run("status", "--json").out()).contains("\"enrolled\":false");
  }

  @Test
  void tenDevicesEnrollingAtOnceAllSucceedWithDistinctIds() throws Exception {
    List<AgentProcess> agents = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      agents.add(fleet.newAgent("ten-" + i, List.of()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<AgentProcess.Result>> results = new ArrayList<>();
      for (AgentProcess a : agents) {
        String token = fleet.token();
        results.add(pool.submit(() -> fleet.enroll(a, token)));
      }
      List<String> ids = new ArrayList<>();
      for (Future<AgentProcess.Result> f : results) {
        ids.add(deviceId(f.get()));
      }
      assertThat(ids).hasSize(10).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eventsQueuedWhileTheBrokerIsDownAreAllDeliveredAfterItIsKilledAndRestarted() throws Exception {
    AgentProcess agent = fleet.newAgent("outage-1", List.of("mqtt.reconnect.cap = 2s"));
    String device = deviceId(fleet.enroll(agent, fleet.token()));
    agent.start();
    try (MqttTestClient operator = fleet.operator()) {
      operator.subscribe(Topics.events(device), 1);
      operator.subscribe(Topics.state(device), 1);
      await().atMost(PATIENCE).until(() -> online(operator.next(PATIENCE)));
    }
    fleet.killBroker();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Path event = agent.home().resolve("event-" + i + ".json");
      Files.writeString(event, "{\"n\":" + i + "}");
      assertThat(agent.run("send", "event", "--body-file", event.toString(), "--idempotency-key", "outage-" + i)
          .code()).isZero();
      sent.add("{\"n\":" + i + "}");
    }
    assertThat(((Number) statusJson(agent).get("queued")).intValue()).isEqualTo(20);
    fleet.startBroker();
    try (MqttTestClient operator = fleet.operator()) {
      List<String> arrived = new ArrayList<>();
      while (arrived.size() < sent.size()) {
        Received r = nextOn(operator, Topics.events(device));
        if (!arrived.contains(r.text())) {
          arrived.add(r.text());
        }
      }
      assertThat(arrived).containsExactlyElementsOf(sent);
    }
    await().atMost(PATIENCE).until(() -> ((Number) statusJson(agent).get("queued")).intValue() == 0);
  }

  /** The next message on {@code topic}, skipping others (state updates). */
  private static Received nextOn(MqttTestClient client, String topic) {
    while (true) {
      Received r = client.next(PATIENCE);
      if (r.topic().equals(topic)) {
        return r;
      }
    }
  }

  private static boolean online(Received state) throws Exception {
    return Boolean.TRUE.equals(JsonParser.parseObject(state.text()).get("online"));
  }

  private static String deviceId(AgentProcess.Result enrolled) {
    assertThat(enrolled.code()).as(enrolled.out()).isZero();
    Matcher m = DEVICE_ID.matcher(enrolled.out());
    assertThat(m.find()).as("a device id in: %s", enrolled.out()).isTrue();
    return m.group();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> statusJson(AgentProcess agent) throws Exception {
    AgentProcess.Result r = agent.run("status", "--json");
    assertThat(r.code()).as(r.out()).isZero();
    return (Map<String, Object>) JsonParser.parse(r.out().strip());
  }

  /** The token, the API key and the device's private key, in any form, in no file of the fleet. */
  private void assertNoSecretReadable(AgentProcess agent, String token) throws Exception {
    CredentialSet set = agent.identity(IdentityStore.CURRENT);
    List<String> forbidden = new ArrayList<>(List.of(token,
        new String(set.apiKey().bytes(), StandardCharsets.UTF_8)));
    forbidden.addAll(SecretScan.forms(set.privateKey().getEncoded()));
    forbidden.addAll(SecretScan.forms(((ECPrivateKey) set.privateKey()).getS().toByteArray()));
    SecretScan.assertNoneIn(dir, forbidden);
  }
}
