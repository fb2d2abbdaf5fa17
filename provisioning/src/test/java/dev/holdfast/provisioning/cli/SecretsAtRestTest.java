package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.testing.HangupRecorder;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greps every byte the provisioning side wrote (the data directory, exported files and the test
 * log) for the real secrets: API key and token plaintexts, CA private keys, peppers, SMS token.
 */
class SecretsAtRestTest {
  static final String SMS_TOKEN = "sms-auth-token-5f1c2e9a7b";
  @TempDir Path root;
  /** The bench's own files: the request holds the token in clear, as the device wrote it. */
  @TempDir Path bench;

  @Test
  void noSecretAppearsInAnyFileOutsideTheSealedVaultOrInTheLog() throws Exception {
    CliHarness cli = new CliHarness(root);
    assertThat(cli.run("init", "--crl-path", cli.dir.resolve("fleet.crl").toString()).exit()).isZero();
    Path csr = root.resolve("d.csr");
    Files.writeString(csr, Pem.encode("CERTIFICATE REQUEST", Csrs.valid(TestRandom.seeded(71))));
    assertThat(cli.run("certs", "issue", "--csr", csr.toString(), "--device", "dev-secret-1").exit()).isZero();
    String apiKey = cli.run("keys", "create", "--device", "dev-secret-1").out().lines().findFirst().orElseThrow();
    String token = cli.run("tokens", "create", "--profile", "default").out().lines().findFirst().orElseThrow();
    BenchDevice device = new BenchDevice(TestRandom.seeded(72));
    Path request = bench.resolve("request.json");
    Files.writeString(request, device.requestJson(token));
    Path response = cli.dir.resolve("response.json");
    @SuppressWarnings("unchecked")
    Map<String, Object> enrolled = (Map<String, Object>) JsonParser.parse(cli.run("enroll", "--in", request.toString(),
        "--out", response.toString(), "--json").out());
    String enrolledKey = device.apiKey(EnrollResponse.parse(Files.readString(response)));
    assertThat(cli.runWithInput(SMS_TOKEN + "\n", "relay", "set-auth-token").exit()).isZero();
    assertThat(cli.run("keys", "revoke", enrolled.get("key_id").toString()).exit()).isZero();
    try (HangupRecorder broker = cli.standInBroker(root.resolve("etc"))) {
      assertThat(cli.run("certs", "revoke", "--device", "dev-secret-1").exit()).isZero();
      org.awaitility.Awaitility.await("the broker's SIGHUP").atMost(java.time.Duration.ofSeconds(10))
          .until(() -> broker.hangups() == 1);
    }

    List<byte[]> secrets = new ArrayList<>();
    for (String s : List.of(apiKey, token, enrolledKey, SMS_TOKEN)) {
      assertThat(s).hasSizeGreaterThan(20);
      secrets.add(s.getBytes(StandardCharsets.US_ASCII));
    }
    MasterKeySource key = MasterKeySource.ofKey(KeyFiles.read(cli.keyFile), "test");
    try (MapDbRegistry registry = new MapDbRegistry(Vault.open(cli.dir.resolve("provisioning.db"), key,
        TestRandom.seeded(73)))) {
      for (String name : List.of("ca.root.key", "ca.issuing.key", "command-signing.key", "apikeys.pepper",
          "tokens.pepper", "relay.upstream.auth-token")) {
        Secret s = registry.read(tx -> tx.secrets().find(name)).orElseThrow();
        byte[] raw = s.bytes();
        secrets.add(raw);
        secrets.add(Base64.getEncoder().encodeToString(raw).substring(0, 24).getBytes(StandardCharsets.US_ASCII));
        secrets.add(HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
        assertThat(s.toString()).doesNotContain(Base64.getEncoder().encodeToString(raw));
      }
    }

    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).filter(p -> !p.equals(cli.keyFile)).forEach(files::add);
    }
    Path log = Path.of("target/test-logs/provisioning-test.log");
    if (Files.exists(log)) {
      files.add(log);
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("provisioning.db", "fleet.crl", "response.json");
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      for (byte[] secret : secrets) {
        assertThat(indexOf(content, secret)).as("a secret found in " + f).isEqualTo(-1);
      }
    }
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

}
