package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code relay set-auth-token}: the token goes into an HTTP header, so only what a header can carry. */
class SetAuthTokenTest {
  /** The part of each refused token that must show up nowhere. */
  static final String SECRET = "tw-9c41e7d2b85a";
  static final Path LOG = Path.of("target/test-logs/provisioning-test.log");
  @TempDir Path root;

  @Test
  void aTokenAHeaderCannotCarryIsRefusedWithExit65AndNeitherStoredNorShownNorLogged() throws Exception {
    CliHarness cli = new CliHarness(root);
    assertThat(cli.run("init", "--crl-path", root.resolve("fleet.crl").toString()).exit()).isZero();
    record Case(String token, String kind) {}
    for (Case c : List.of(new Case(SECRET + "\u0007x", "a control character"),
        new Case(SECRET + "\r\nX-Injected: 1", "a control character"), new Case(SECRET + "\u0000", "a control character"),
        new Case(SECRET + "\u007f", "a control character"), new Case(SECRET + " x", "a space"),
        new Case(SECRET + "\u00e9", "a character outside ASCII"))) {
      CliHarness.Result r = cli.runWithInput(c.token() + "\n", "relay", "set-auth-token");

      assertThat(r.exit()).as(r.err()).isEqualTo(65);
      assertThat(r.err()).contains("position " + (SECRET.length() + 1)).contains(c.kind())
          .contains("nothing was stored").doesNotContain(SECRET);
      assertThat(r.out()).doesNotContain(SECRET);
    }
    assertThat(stored(cli)).isEmpty();
    assertThat(Files.readString(LOG, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
  }

  @Test
  void aTokenOfVisibleAsciiIsStored() throws Exception {
    CliHarness cli = new CliHarness(root);
    assertThat(cli.run("init", "--crl-path", root.resolve("fleet.crl").toString()).exit()).isZero();

    assertThat(cli.runWithInput("  " + SECRET + "+/=~!\n", "relay", "set-auth-token").exit()).isZero();

    assertThat(stored(cli)).contains(SECRET + "+/=~!");
  }

  static Optional<String> stored(CliHarness cli) throws Exception {
    MasterKeySource key = MasterKeySource.ofKey(KeyFiles.read(cli.keyFile), "test");
    try (MapDbRegistry registry = new MapDbRegistry(Vault.open(cli.dir.resolve("provisioning.db"), key,
        TestRandom.seeded(74)))) {
      return registry.read(tx -> tx.secrets().find(ProvisioningRuntime.UPSTREAM_TOKEN))
          .map(Secret::bytes).map(b -> new String(b, StandardCharsets.UTF_8));
    }
  }
}
