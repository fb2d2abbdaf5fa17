package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.vault.KeyFiles;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's keys are sealed under a key from a systemd credential, a key file or a passphrase. */
class KeySourcesTest {
  @TempDir Path root;

  CliHarness.Result run(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--dir", root.resolve("data").toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(all.toArray(new String[0]), env, new PrintWriter(out), new PrintWriter(err),
        new ByteArrayInputStream(new byte[0]));
    return new CliHarness.Result(exit, out.toString(), err.toString());
  }

  Map<String, String> credential(String name, long seed) throws Exception {
    Path dir = Files.createDirectories(root.resolve(name));
    KeyFiles.generate(dir.resolve("store-key"), TestRandom.seeded(seed));
    return Map.of("CREDENTIALS_DIRECTORY", dir.toString());
  }

  @Test
  void sealsTheCaUnderTheSystemdCredentialAndRefusesAnotherOne() throws Exception {
    Map<String, String> env = credential("creds", 1);

    CliHarness.Result init = run(env, "init");

    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(init.out()).contains("systemd credential");
    assertThat(run(env, "devices", "list").exit()).isZero();
    assertThat(run(credential("other", 2), "devices", "list").exit()).isEqualTo(ExitCode.NO_PERMISSION.code());
  }

  @Test
  void acceptsAPassphraseForDevelopmentAndRefusesTheWrongOne() {
    CliHarness.Result init = run(Map.of("HOLDFAST_PASSPHRASE", "correct horse battery staple"), "init");

    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(run(Map.of("HOLDFAST_PASSPHRASE", "correct horse battery staple"), "devices", "list").exit()).isZero();
    assertThat(run(Map.of("HOLDFAST_PASSPHRASE", "wrong horse"), "devices", "list").exit())
        .isEqualTo(ExitCode.NO_PERMISSION.code());
  }

  @Test
  void refusesToCreateACaWithoutAnyKeySourceAndCreatesNoVault() {
    CliHarness.Result init = run(Map.of(), "init");

    assertThat(init.exit()).isEqualTo(ExitCode.CONFIG.code());
    assertThat(init.err()).contains("HOLDFAST_PASSPHRASE");
    assertThat(root.resolve("data").resolve(ProvisioningRuntime.VAULT_FILE)).doesNotExist();
  }
}
