package dev.holdfast.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.testing.EnrollServer;
import dev.holdfast.agent.testing.RecordingServer;
import dev.holdfast.agent.testing.TestFleet;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.testkit.SecretScan;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent enrolls over HTTPS against a loopback server, then runs and sends an SMS
 * with the enrolled key. At trace level, neither the logs nor any file of the data dir holds the
 * token, the API key or the private key (raw, hex, base64 or PEM lines).
 */
class EnrollIT {
  static final String API_KEY = "hf_EnrollItKey5q8Zr2Lm0Xv7Tn3Bc1";
  static final String TOKEN = "hfe_EnrollItToken9w4Ke6Rt2Yp8Ua";
  static final String DEVICE = "dev-it0123456789abcd";

  @TempDir Path home;
  final TestFleet fleet = TestFleet.create();
  EnrollServer enroll;
  RecordingServer relay;
  Process agent;
  String[] where;

  @BeforeEach
  void init() throws Exception {
    enroll = new EnrollServer(fleet.serverContext("127.0.0.1"),
        request -> new EnrollServer.Answer(200, fleet.respond(request, DEVICE, API_KEY).toJson()));
    relay = new RecordingServer();
    fleet.writeRoot(home.resolve("fleet-root.pem"));
    Files.writeString(home.resolve("agent.conf"), "local.socket = " + home.resolve("agent.sock") + "\n"
        + "sms.relay.url = " + relay.uri("/relay") + "\n");
    where = new String[] {"--config", "agent.conf", "--data-dir", "data", "--key-file", "store.key",
        "--log-level", "trace"};
    AgentJar.newVault(home, where);
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.destroyForcibly();
    }
    enroll.close();
    relay.close();
  }

  private String[] with(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(where));
    return all.toArray(String[]::new);
  }

  @Test
  void theAgentEnrollsThenSendsWithTheEnrolledKeyAndNoSecretReachesTheLogsOrTheDataDir() throws Exception {
    AgentJar.Run enrolled = AgentJar.run(home, TOKEN + "\n", with("enroll", "--token-file", "-", "--server",
        enroll.url(), "--fleet-root", "fleet-root.pem"));
    assertThat(enrolled.code()).as(enrolled.err()).isZero();
    assertThat(enrolled.out()).isEqualTo(DEVICE + "\n");
    assertThat(enrolled.err()).as("trace logging was on").contains("DEBUG");
    Files.writeString(home.resolve("enroll.log"), enrolled.out() + enrolled.err());

    agent = AgentJar.builder(home, with("run")).redirectErrorStream(true)
        .redirectOutput(home.resolve("agent.log").toFile()).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> !agent.isAlive() || Files.exists(home.resolve("agent.sock")));
    AgentJar.Run status = AgentJar.run(home, "", with("status"));
    assertThat(status.out()).contains("agent:    running").contains("device:   " + DEVICE);
    AgentJar.Run busy = AgentJar.run(home, TOKEN, with("enroll", "--force", "--token-file", "-", "--server",
        enroll.url(), "--fleet-root", "fleet-root.pem"));
    assertThat(busy.code()).isEqualTo(75);
    assertThat(busy.err()).contains("stop the agent first");

    assertThat(AgentJar.run(home, "Gate open", with("send", "sms", "--to", "+15550101010", "--body-file", "-"))
        .code()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> !relay.requests().isEmpty());
    assertThat(relay.requests().get(0).header("Authorization")).isEqualTo("Bearer " + API_KEY);
    agent.destroy();
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();

    CredentialSet set;
    try (Vault v = Vault.open(home.resolve("data/agent.db"),
        MasterKeySource.ofKey(KeyFiles.read(home.resolve("store.key")), "key file"), new SecureRandom())) {
      set = new IdentityStore(v).current().orElseThrow();
    }
    assertNoSecretIn(home.resolve("data"), forbidden(set));
    assertNoSecretIn(home.resolve("enroll.log"), forbidden(set));
    assertNoSecretIn(home.resolve("agent.log"), forbidden(set));
  }

  /** Every form a secret could leak in: raw bytes, hex, base64 and each line of its PEM. */
  static List<String> forbidden(CredentialSet set) {
    List<String> out = new ArrayList<>(List.of(API_KEY, TOKEN));
    out.addAll(SecretScan.forms(set.privateKey().getEncoded()));
    out.addAll(SecretScan.forms(((ECPrivateKey) set.privateKey()).getS().toByteArray()));
    return out;
  }

  static void assertNoSecretIn(Path where, List<String> forbidden) throws Exception {
    SecretScan.assertNoneIn(where, forbidden);
  }
}
