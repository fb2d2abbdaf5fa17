package dev.holdfast.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.testkit.SecretScan;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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
  void aDeviceEnrolledAtTheBenchRunsAndItsSmsReachesTheProviderThroughTheRelay() throws Exception {
    AgentProcess agent = fleet.newAgent("bench-1", List.of());
    String token = fleet.token();
    String device = deviceId(fleet.enroll(agent, token));
    agent.start();

    Path body = agent.home().resolve("sms.txt");
    Files.writeString(body, "Gate 4 opened at 07:12");
    assertThat(agent.run("send", "sms", "--to", "+15551234567", "--body-file", body.toString()).code()).isZero();
    await().atMost(PATIENCE).until(() -> !fleet.sms().received().isEmpty());
    assertThat(fleet.sms().received()).containsExactly(
        new FakeSmsProvider.Sms("+15551234567", Fleet.FROM, "Gate 4 opened at 07:12"));

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
    CredentialSet set;
    try (Vault v = Vault.open(agent.dataDir().resolve("agent.db"),
        MasterKeySource.ofKey(KeyFiles.read(agent.home().resolve("store.key")), "key file"), new SecureRandom())) {
      set = new IdentityStore(v).current().orElseThrow();
    }
    List<String> forbidden = new ArrayList<>(List.of(token,
        new String(set.apiKey().bytes(), StandardCharsets.UTF_8)));
    forbidden.addAll(SecretScan.forms(set.privateKey().getEncoded()));
    forbidden.addAll(SecretScan.forms(((ECPrivateKey) set.privateKey()).getS().toByteArray()));
    SecretScan.assertNoneIn(dir, forbidden);
  }
}
