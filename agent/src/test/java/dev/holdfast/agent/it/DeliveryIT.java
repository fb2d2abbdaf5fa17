package dev.holdfast.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.testing.RecordingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as a real process delivering an SMS through the relay and a signed webhook to loopback. */
class DeliveryIT {
  static final String API_KEY = "hf_DeliveryItKey0123456789abcdefgh";
  static final String SIGNING = "whsec-delivery-it-4d5e6f";
  static final String NUMBER = "+15557654321";
  static final String SMS_BODY = "Pump 2 stopped at 03:14";
  static final String HOOK_BODY = "{\"pump\":\"stopped-31f9\"}";

  @TempDir Path home;
  RecordingServer server;
  String[] where;
  Process agent;

  @BeforeEach
  void init() throws Exception {
    server = new RecordingServer();
    Path socket = home.resolve("agent.sock");
    Files.writeString(home.resolve("agent.conf"), "local.socket = " + socket + "\n"
        + "sms.relay.url = " + server.uri("/relay") + "\n"
        + "webhook.signing-secret = hook-key\n"
        + "webhook.allowed-urls = " + server.uri("/hook") + "\n");
    where = new String[] {"--config", "agent.conf", "--data-dir", "data", "--key-file", "store.key"};
    AgentJar.newVault(home, where);
    assertThat(AgentJar.run(home, API_KEY, with("secret", "set", "relay-api-key")).code()).isZero();
    assertThat(AgentJar.run(home, SIGNING, with("secret", "set", "hook-key")).code()).isZero();
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.destroyForcibly();
    }
    server.close();
  }

  private String[] with(String... args) {
    return AgentJar.with(where, args);
  }

  @Test
  void anSmsAndASignedWebhookArriveAndNoSecretNumberOrBodyReachesTheLogsOrTheDataDir() throws Exception {
    agent = AgentJar.builder(home, with("run", "--log-level", "trace"))
        .redirectErrorStream(true).redirectOutput(home.resolve("agent.log").toFile()).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> !agent.isAlive() || Files.exists(home.resolve("agent.sock")));
    assertThat(AgentJar.run(home, SMS_BODY, with("send", "sms", "--to", NUMBER, "--body-file", "-")).code()).isZero();
    assertThat(AgentJar.run(home, HOOK_BODY,
        with("send", "webhook", "--url", server.uri("/hook").toString(), "--body-file", "-")).code()).isZero();
    AgentJar.Run elsewhere = AgentJar.run(home, HOOK_BODY,
        with("send", "webhook", "--url", server.uri("/other").toString(), "--body-file", "-"));
    assertThat(elsewhere.code()).as("outside webhook.allowed-urls").isEqualTo(65);
    assertThat(elsewhere.err()).contains("webhook.allowed-urls");

    AgentJar.Run busy = AgentJar.run(home, "whsec-other", with("secret", "set", "hook-key"));
    assertThat(busy.code()).as("the running agent holds the vault (docs/delivery.md)").isNotZero();
    assertThat(busy.err()).contains("in use");

    await().atMost(Duration.ofSeconds(60)).until(() -> server.requests().size() >= 2);
    RecordingServer.Request sms = server.requests().stream().filter(r -> r.path().equals("/relay/v1/messages"))
        .findFirst().orElseThrow();
    assertThat(sms.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(sms.text()).isEqualTo("{\"to\":\"" + NUMBER + "\",\"body\":\"" + SMS_BODY + "\"}");
    assertThat(sms.header("Idempotency-Key")).isNotBlank();
    RecordingServer.Request hook = server.requests().stream().filter(r -> r.path().equals("/hook"))
        .findFirst().orElseThrow();
    assertThat(hook.text()).isEqualTo(HOOK_BODY);
    String signature = hook.header("Holdfast-Signature");
    String t = signature.substring(2, signature.indexOf(','));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SIGNING.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signed = "holdfast-webhook-v2\nPOST\n" + server.uri("/hook") + "\n" + hook.header("Idempotency-Key") + "\n"
        + t + "\n" + HOOK_BODY;
    assertThat(signature).isEqualTo("t=" + t + ",v2="
        + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))));

    await().atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(home.resolve("agent.log")).split("Delivered\\[", -1).length == 3);
    agent.destroy();
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(home.resolve("agent.log"), StandardCharsets.UTF_8);
    assertThat(log).as("trace logging was on").contains("DEBUG");
    List<Path> files;
    try (Stream<Path> all = Files.walk(home)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String value : List.of(API_KEY, SIGNING, NUMBER, SMS_BODY, "stopped-31f9")) {
        assertThat(raw).as("%s in %s", value, home.relativize(f)).doesNotContain(value);
      }
    }
  }
}
