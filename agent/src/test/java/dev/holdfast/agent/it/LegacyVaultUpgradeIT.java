package dev.holdfast.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.testing.LegacyFixture;
import dev.holdfast.agent.testing.RecordingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed vault of an agent from before the segment log, run by today's agent as a real
 * process: on its first start the queued records move into the log and go out — the SMS through
 * the relay, the webhooks to the loopback addresses they were queued for (port 9, so the test
 * binds it: it runs as root, as CI does) — with the idempotency keys and bodies they were queued
 * with; the dead letter goes out once put back; the MQTT events wait for a link, whole.
 */
class LegacyVaultUpgradeIT {
  @TempDir Path home;
  RecordingServer relay;
  RecordingServer hooks;
  Process agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.destroyForcibly();
    }
    for (RecordingServer s : new RecordingServer[] {relay, hooks}) {
      if (s != null) {
        s.close();
      }
    }
  }

  @Test
  void theOldVaultsRecordsAreDeliveredWithTheirKeysAndBodiesAfterTheFirstStart() throws Exception {
    LegacyFixture fixture = LegacyFixture.copyTo(home);
    relay = new RecordingServer();
    hooks = new RecordingServer(9);
    Path socket = home.resolve("agent.sock");
    Files.writeString(home.resolve("agent.conf"), "local.socket = " + socket + "\n"
        + "sms.relay.url = " + relay.uri("/relay") + "\n"
        + "webhook.signing-secret = webhook-signing\n"
        + "outbox.retry.base = 100ms\n" + "outbox.retry.cap = 1s\n");
    String[] where = {"--config", "agent.conf", "--data-dir", fixture.dataDir.toString(), "--key-file",
        fixture.keyFile.toString()};
    agent = AgentJar.builder(home, AgentJar.with(where, "run")).redirectErrorStream(true)
        .redirectOutput(home.resolve("agent.log").toFile()).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> !agent.isAlive() || Files.exists(socket));
    assertThat(agent.isAlive()).as(Files.readString(home.resolve("agent.log"))).isTrue();

    List<Map<String, Object>> expected = LegacyFixture.expectedRecords();
    List<Map<String, Object>> sms = expected.stream().filter(e -> e.get("channel").equals("sms")).toList();
    List<Map<String, Object>> webhooks = expected.stream()
        .filter(e -> e.get("channel").equals("webhook") && !Boolean.TRUE.equals(e.get("dead"))).toList();
    await().atMost(Duration.ofSeconds(60))
        .until(() -> relay.requests().size() >= sms.size() && hooks.requests().size() >= webhooks.size());
    for (Map<String, Object> e : sms) {
      assertThat(relay.requests()).as("SMS %s", e.get("id")).anySatisfy(r -> {
        assertThat(r.header("Idempotency-Key")).isEqualTo(e.get("idempotency_key"));
        assertThat(r.text()).contains(((String) e.get("destination")).substring(1));
      });
    }
    for (Map<String, Object> e : webhooks) {
      byte[] body = e.containsKey("body") ? ((String) e.get("body")).getBytes(StandardCharsets.UTF_8)
          : Base64.getDecoder().decode((String) e.get("body_base64"));
      assertThat(hooks.requests()).as("webhook %s", e.get("id")).anySatisfy(r -> {
        assertThat(r.header("Idempotency-Key")).isEqualTo(e.get("idempotency_key"));
        assertThat(r.body()).isEqualTo(body);
        assertThat(r.header("Holdfast-Signature")).isNotBlank();
      });
    }

    AgentJar.Run retried = AgentJar.run(home, "", AgentJar.with(where, "outbox", "retry", "--dead"));
    assertThat(retried.code()).as(retried.err()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> hooks.requests().stream()
        .anyMatch(r -> "dead-key-0001".equals(r.header("Idempotency-Key"))));

    AgentJar.Run list = AgentJar.run(home, "", AgentJar.with(where, "outbox", "list", "--json"));
    assertThat(list.out()).as("the MQTT events wait for a link").contains("\"channel\":\"mqtt\"")
        .doesNotContain("\"channel\":\"sms\"").doesNotContain("\"channel\":\"webhook\"");
    agent.destroy();
    assertThat(agent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(AgentJar.run(home, "", AgentJar.with(where, "vault", "verify")).code()).isZero();
    assertThat(Files.readString(home.resolve("agent.log"))).contains("moved the outbox from the vault into its log");
  }
}
