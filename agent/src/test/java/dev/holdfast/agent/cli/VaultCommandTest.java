package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultCommandTest {
  @TempDir Path home;
  AgentFixture agent;

  @BeforeEach
  void setUp() throws Exception {
    agent = new AgentFixture(home);
  }

  @Test
  void keygenWritesA256BitKeyOwnerOnlyAndRefusesToOverwriteIt() throws Exception {
    assertThat(Files.readString(agent.keyFile)).matches("[0-9a-f]{64}\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.keyFile))).isEqualTo("rw-------");
    String before = Files.readString(agent.keyFile);
    AgentFixture.Result again = agent.run("vault", "keygen", "--out", agent.keyFile.toString());
    assertThat(again.code()).isEqualTo(73);
    assertThat(again.error()).contains("already exists; refusing to overwrite");
    assertThat(Files.readString(agent.keyFile)).isEqualTo(before);
  }

  @Test
  void initCreatesTheVaultAndRefusesASecondTime() throws Exception {
    AgentFixture.Result init = agent.agent("vault", "init");
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("created vault " + agent.vaultFile()).contains("key file");
    String before = AgentFixture.sha256(agent.vaultFile());
    AgentFixture.Result again = agent.agent("vault", "init");
    assertThat(again.code()).isEqualTo(73);
    assertThat(again.error()).contains("already exists");
    assertThat(AgentFixture.sha256(agent.vaultFile())).isEqualTo(before);
  }

  @Test
  void statusShowsCountsSizeAndKeyOriginButNeverTheKey() throws Exception {
    agent.agent("vault", "init");
    agent.agentWithInput("value-1", "secret", "set", "one");
    AgentFixture.Result text = agent.agent("vault", "status");
    assertThat(text.code()).isZero();
    assertThat(text.out()).contains("format:   " + dev.holdfast.vault.Vault.FORMAT).contains("secrets: 1").contains("key from: key file " + agent.keyFile);
    AgentFixture.Result json = agent.agent("vault", "status", "--json");
    assertThat(json.out().strip()).startsWith("{\"file\":\"" + agent.vaultFile() + "\",\"format\":" + dev.holdfast.vault.Vault.FORMAT + ",\"bytes\":")
        .endsWith("\"records\":{\"secrets\":1}}");
    String key = Files.readString(agent.keyFile).strip();
    assertThat(text.out() + json.out()).doesNotContain(key);
  }

  @Test
  void verifyPassesOnAHealthyVault() {
    agent.agent("vault", "init");
    agent.agentWithInput("v", "secret", "set", "a");
    AgentFixture.Result verify = agent.agent("vault", "verify");
    assertThat(verify.code()).isZero();
    assertThat(verify.out()).contains("checked 1 records: all authentic");
    assertThat(agent.agent("vault", "verify", "--json").out()).contains("\"ok\":true");
  }

  @Test
  void rekeyMovesTheVaultToTheNewKey() throws Exception {
    agent.agent("vault", "init");
    agent.agentWithInput("the-value", "secret", "set", "a");
    Path newKey = home.resolve("new.key");
    agent.run("vault", "keygen", "--out", newKey.toString());
    AgentFixture.Result rekey = agent.agent("vault", "rekey", "--new-key-file", newKey.toString());
    assertThat(rekey.code()).as(rekey.err()).isZero();
    assertThat(agent.agent("secret", "get", "a").code()).isEqualTo(77);
    AgentFixture.Result withNew = agent.run("secret", "get", "a",
        "--data-dir", agent.dataDir.toString(), "--key-file", newKey.toString());
    assertThat(withNew.out()).isEqualTo("the-value");
  }

  @Test
  void rekeyRefusesANewKeyFileOthersCanRead() throws Exception {
    agent.agent("vault", "init");
    Path newKey = home.resolve("new.key");
    agent.run("vault", "keygen", "--out", newKey.toString());
    Files.setPosixFilePermissions(newKey, PosixFilePermissions.fromString("rw-r--r--"));
    String before = AgentFixture.sha256(agent.vaultFile());
    AgentFixture.Result rekey = agent.agent("vault", "rekey", "--new-key-file", newKey.toString());
    assertThat(rekey.code()).isEqualTo(77);
    assertThat(rekey.error()).contains("mode 0644").contains("chmod 600");
    assertThat(AgentFixture.sha256(agent.vaultFile())).isEqualTo(before);
  }

  @Test
  void aPassphraseFromTheEnvironmentWorksForDevelopment() {
    agent.env.put("HOLDFAST_PASSPHRASE", "dev passphrase");
    AgentFixture.Result init = agent.run("vault", "init", "--data-dir", agent.dataDir.toString());
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("passphrase from HOLDFAST_PASSPHRASE (development only)");
    agent.env.put("HOLDFAST_PASSPHRASE", "other passphrase");
    assertThat(agent.run("vault", "status", "--data-dir", agent.dataDir.toString()).code()).isEqualTo(77);
  }

  @Test
  void aSystemdCredentialWinsOverTheKeyFile() throws Exception {
    Path credentials = Files.createDirectory(home.resolve("credentials"));
    Files.copy(agent.keyFile, credentials.resolve("store-key"));
    agent.env.put("CREDENTIALS_DIRECTORY", credentials.toString());
    AgentFixture.Result init = agent.run("vault", "init", "--data-dir", agent.dataDir.toString());
    assertThat(init.out()).contains("key from systemd credential store-key");
    // a key file naming another key is ignored while the credential is there
    Path other = home.resolve("other.key");
    agent.run("vault", "keygen", "--out", other.toString());
    AgentFixture.Result status = agent.run("vault", "status", "--data-dir", agent.dataDir.toString(),
        "--key-file", other.toString());
    assertThat(status.code()).as(status.err()).isZero();
  }

  @Test
  void withoutAnyKeySourceTheErrorSaysHowToProvideOne() {
    AgentFixture.Result r = agent.run("vault", "init", "--data-dir", agent.dataDir.toString());
    assertThat(r.code()).isEqualTo(78);
    assertThat(r.error()).contains("no vault key").contains("--key-file").contains("HOLDFAST_PASSPHRASE");
    assertThat(Files.exists(agent.vaultFile())).isFalse();
  }
}
