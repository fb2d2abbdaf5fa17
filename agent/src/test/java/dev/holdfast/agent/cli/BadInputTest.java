package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.vault.internal.StoreFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.BTreeMap;
import org.mapdb.Serializer;

/**
 * Every bad input ends in one line that says what is wrong and what to do, its own exit code, and
 * a vault file that is byte-for-byte what it was.
 */
class BadInputTest {
  @TempDir Path home;
  AgentFixture agent;

  @BeforeEach
  void setUp() throws Exception {
    agent = new AgentFixture(home);
    agent.agent("vault", "init");
    for (int i = 0; i < 30; i++) {
      agent.agentWithInput("value-" + i + "-" + "z".repeat(i * 5), "secret", "set", "name-" + i);
    }
  }

  /** Runs a command that must fail, and checks the code, the message and the file. */
  private AgentFixture.Result failsUnchanged(int code, String... args) throws Exception {
    String before = AgentFixture.sha256(agent.vaultFile());
    AgentFixture.Result r = agent.run(args);
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.err().strip()).as("one line").doesNotContain("\n").startsWith("holdfast-agent: ");
    assertThat(AgentFixture.sha256(agent.vaultFile())).as("vault unchanged").isEqualTo(before);
    return r;
  }

  /** An owner-only key file with {@code content}. */
  private Path keyFileHolding(String name, String content) throws Exception {
    Path file = home.resolve(name);
    Files.writeString(file, content, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private String[] withDataDir(String keyFile, String... args) {
    String[] all = Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--data-dir";
    all[args.length + 1] = agent.dataDir.toString();
    all[args.length + 2] = "--key-file";
    all[args.length + 3] = keyFile;
    return all;
  }

  @Test
  void theWrongKeyIsExit77() throws Exception {
    Path other = home.resolve("other.key");
    agent.run("vault", "keygen", "--out", other.toString());
    AgentFixture.Result r = failsUnchanged(77, withDataDir(other.toString(), "secret", "list"));
    assertThat(r.error()).contains("does not open").contains("wrong key");
  }

  @Test
  void aKeyFileWithMode0644IsExit77() throws Exception {
    Files.setPosixFilePermissions(agent.keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    AgentFixture.Result r = failsUnchanged(77, withDataDir(agent.keyFile.toString(), "vault", "status"));
    assertThat(r.error()).contains("has mode 0644").contains("chmod 600");
  }

  @Test
  void aKeyFileWithGarbageIsExit65() throws Exception {
    Path junk = keyFileHolding("junk.key", "not a key");
    AgentFixture.Result r = failsUnchanged(65, withDataDir(junk.toString(), "vault", "status"));
    assertThat(r.error()).contains("does not hold a 256-bit key").contains("vault keygen").doesNotContain("not a key");
  }

  @Test
  void aSecretWrittenBackWithItsOlderSealedValueIsExit65ForVerifyAndEveryOtherCommand() throws Exception {
    Map<String, byte[]> before = new java.util.HashMap<>();
    try (StoreFiles s = StoreFiles.open(agent.vaultFile(), false)) {
      s.db().treeMap("h.secrets", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open()
          .forEach((k, v) -> before.put(java.util.HexFormat.of().formatHex(k), v));
    }
    agent.agentWithInput("rotated", "secret", "set", "name-0");
    try (StoreFiles s = StoreFiles.open(agent.vaultFile(), false)) {
      BTreeMap<byte[], byte[]> m = s.db().treeMap("h.secrets", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
      byte[] changed = m.entrySet().stream().filter(e -> !Arrays.equals(e.getValue(),
          before.get(java.util.HexFormat.of().formatHex(e.getKey())))).findFirst().orElseThrow().getKey();
      m.put(changed, before.get(java.util.HexFormat.of().formatHex(changed)));
      s.db().commit();
      s.checkpoint();
    }
    AgentFixture.Result verify = failsUnchanged(65, withDataDir(agent.keyFile.toString(), "vault", "verify"));
    assertThat(verify.error()).contains("'secrets'").contains("rolled back").contains("Nothing was changed");
    failsUnchanged(65, withDataDir(agent.keyFile.toString(), "secret", "list"));
  }

  @Test
  void aDataDirectoryOthersCanReadIsExit77() throws Exception {
    Files.setPosixFilePermissions(agent.dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    AgentFixture.Result r = failsUnchanged(77, withDataDir(agent.keyFile.toString(), "vault", "status"));
    assertThat(r.error()).contains("data directory " + agent.dataDir).contains("chmod 700");
  }

  @Test
  void aThirtyTwoCharacterPassphraseInAKeyFileIsExit65NotARawKey() throws Exception {
    Path typed = keyFileHolding("typed.key", "correct horse battery staple 123");
    AgentFixture.Result r = failsUnchanged(65, withDataDir(typed.toString(), "vault", "status"));
    assertThat(r.error()).contains("64 hex digits").doesNotContain("horse");
  }

  @Test
  void aTruncatedVaultIsExit65() throws Exception {
    byte[] whole = Files.readAllBytes(agent.vaultFile());
    Files.write(agent.vaultFile(), Arrays.copyOf(whole, 3000));
    AgentFixture.Result r = failsUnchanged(65, withDataDir(agent.keyFile.toString(), "vault", "verify"));
    assertThat(r.error()).contains("is damaged").contains("not changed");
  }

  @Test
  void bytesFlippedAtRandomOffsetsNeverCrashAndNeverChangeTheFile() throws Exception {
    byte[] pristine = Files.readAllBytes(agent.vaultFile());
    int[] used = java.util.stream.IntStream.range(0, pristine.length).filter(i -> pristine[i] != 0).toArray();
    Random random = new Random(42);
    int detected = 0;
    // Most non-zero bytes of a MapDB file are inert (old record versions in free space are not
    // zeroed), so a handful of flips is often harmless: enough trials that some damage is certain.
    for (int trial = 0; trial < 120; trial++) {
      byte[] damaged = pristine.clone();
      for (int f = 0; f < 8; f++) {
        damaged[used[random.nextInt(used.length)]] ^= (byte) (1 + random.nextInt(255));
      }
      Files.write(agent.vaultFile(), damaged);
      AgentFixture.Result r = agent.run(withDataDir(agent.keyFile.toString(), "vault", "verify"));
      assertThat(r.code()).as("trial %d: %s", trial, r.err()).isIn(0, 65, 77);
      assertThat(Files.readAllBytes(agent.vaultFile())).as("trial %d", trial).isEqualTo(damaged);
      detected += r.code() == 0 ? 0 : 1;
    }
    assertThat(detected).isPositive();
  }

  @Test
  void aTamperedRecordIsListedByVerifyWithExit65() throws Exception {
    try (StoreFiles store = StoreFiles.open(agent.vaultFile(), false)) {
      BTreeMap<byte[], byte[]> secrets =
          store.db().treeMap("h.secrets", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).open();
      Map.Entry<byte[], byte[]> first = secrets.firstEntry();
      byte[] sealed = first.getValue().clone();
      sealed[sealed.length / 2] ^= 1;
      secrets.put(first.getKey(), sealed);
      store.db().commit();
    }
    String before = AgentFixture.sha256(agent.vaultFile());
    AgentFixture.Result r = agent.agent("vault", "verify");
    assertThat(r.code()).isEqualTo(65);
    assertThat(r.out()).containsPattern("BAD secrets #[0-9a-f]{12}: authentication tag mismatch")
        .contains("checked 30 records: 1 failed authentication");
    assertThat(AgentFixture.sha256(agent.vaultFile())).isEqualTo(before);
  }

  @Test
  void aFileThatIsNotAVaultIsExit65() throws Exception {
    byte[] junk = new byte[50_000];
    new Random(1).nextBytes(junk);
    Files.write(agent.vaultFile(), junk);
    AgentFixture.Result r = failsUnchanged(65, withDataDir(agent.keyFile.toString(), "vault", "status"));
    assertThat(r.error()).contains("not a Holdfast vault");
  }

  @Test
  void aMissingVaultIsExit66() throws Exception {
    AgentFixture.Result r = agent.run("vault", "status", "--data-dir", home.resolve("empty").toString(),
        "--key-file", agent.keyFile.toString());
    assertThat(r.code()).isEqualTo(66);
    assertThat(r.error()).contains("no vault at").contains("vault init");
  }

  @Test
  void aVaultHeldOpenByAnotherProcessIsExit75() throws Exception {
    Process holder = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            HoldVaultOpen.class.getName(), agent.vaultFile().toString(), agent.keyFile.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).startsWith("open ");
      AgentFixture.Result r = failsUnchanged(75, withDataDir(agent.keyFile.toString(), "secret", "list"));
      assertThat(r.error()).contains("in use by another process").contains("try again");
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
    assertThat(holder.exitValue()).isZero();
    assertThat(agent.agent("secret", "list").code()).as("usable again once released").isZero();
  }

  /** Runs a command that must fail: the code, and one line that says what is wrong. */
  private AgentFixture.Result fails(int code, String... args) {
    AgentFixture.Result r = agent.agent(args);
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.err().strip()).as("one line").doesNotContain("\n").startsWith("holdfast-agent: ");
    return r;
  }

  @Test
  @Timeout(120)
  void runWithTheSocketPointedAtTheVaultIsExit73AndTheVaultIsNotDeleted() throws Exception {
    AgentFixture.Result r = fails(73, "run", "--socket", agent.vaultFile().toString());
    assertThat(r.error()).contains(agent.vaultFile().toString()).contains("not a socket").contains("--socket");
    assertThat(agent.agent("vault", "verify").code()).as("the vault is still there and sound").isZero();
    assertThat(agent.agent("secret", "list").out()).contains("name-29");
  }

  @Test
  void aContentTypeWithALineBreakIsExit65AndNothingIsQueued() throws Exception {
    Path body = home.resolve("body.json");
    Files.writeString(body, "{}");
    String socket = home.resolve("no-agent.sock").toString();
    AgentFixture.Result r = fails(65, "send", "webhook", "--url", "https://hooks.example/in", "--content-type",
        "application/json\r\nX-Injected: 1", "--body-file", body.toString(), "--socket", socket);
    assertThat(r.error()).contains("content_type").contains("control characters");
    assertThat(agent.agent("outbox", "list", "--json", "--socket", socket).out()).doesNotContain("webhook");
    assertThat(agent.agent("outbox", "list", "--socket", socket).code()).isZero();
  }

  @Test
  void aWebhookUrlOutsideWebhookAllowedUrlsIsExit65AndNothingIsQueued() throws Exception {
    Path config = home.resolve("agent.conf");
    Path socket = home.resolve("no-agent.sock");
    Files.writeString(config, "local.socket = " + socket + "\nwebhook.allowed-urls = https://hooks.example/in/\n");
    Path body = home.resolve("body.json");
    Files.writeString(body, "{}");
    AgentFixture.Result r = agent.agentWithConfig(config, "", "send", "webhook", "--url",
        "https://receiver.example/in/", "--body-file", body.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(65);
    assertThat(r.error()).startsWith("holdfast-agent: ").contains("webhook.allowed-urls").doesNotContain("\n");
    assertThat(agent.agentWithConfig(config, "", "outbox", "list", "--json").out()).doesNotContain("webhook");
    assertThat(agent.agentWithConfig(config, "", "send", "webhook", "--url", "https://hooks.example/in/door",
        "--body-file", body.toString()).code()).isZero();
  }
}
