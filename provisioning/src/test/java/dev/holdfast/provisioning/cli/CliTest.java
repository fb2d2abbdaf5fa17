package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.TestRandom;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path root;
  CliHarness cli;
  final SecureRandom random = TestRandom.seeded(62);

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(root);
  }

  CliHarness.Result init() {
    CliHarness.Result r = cli.run("init", "--fleet-name", "Test Fleet", "--crl-path", root.resolve("fleet.crl").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    return r;
  }

  @Test
  void initialisesADataDirectoryWithPublicCaFilesAndRefusesToDoItTwice() throws Exception {
    init();

    assertThat(Pem.certificates(Files.readString(cli.dir.resolve("fleet-root.pem")))).hasSize(1);
    assertThat(Pem.certificates(Files.readString(cli.dir.resolve("ca-chain.pem")))).hasSize(2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.dir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.dir.resolve("provisioning.db"))))
        .isEqualTo("rw-------");
    assertThat(cli.run("init").exit()).isEqualTo(ExitCodes.CANT_CREATE);
  }

  @Test
  void refusesPlainHttpOnANonLoopbackAddress() {
    init();

    CliHarness.Result r = cli.run("relay", "--insecure-http", "--listen", "0.0.0.0:0");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("loopback");
  }

  @Test
  void answersHelpForEveryCommandAndSubcommand() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new Main(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        System.in)), new ArrayList<>(), paths);

    assertThat(paths).hasSizeGreaterThan(15);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliHarness.Result r = cli.run(args.toArray(new String[0]));
      assertThat(r.exit()).as(String.join(" ", path)).isZero();
      assertThat(r.out()).as(String.join(" ", path)).contains("Usage:");
    }
  }

  @Test
  void describesEveryOptionAndParameterInItsHelp() {
    List<String> undescribed = new ArrayList<>();
    describe(new CommandLine(new Main(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        System.in)), undescribed);

    assertThat(undescribed).isEmpty();
  }

  private static void describe(CommandLine c, List<String> undescribed) {
    String name = c.getCommandSpec().qualifiedName();
    c.getCommandSpec().options().stream().filter(o -> String.join("", o.description()).isBlank())
        .forEach(o -> undescribed.add(name + " " + o.longestName()));
    c.getCommandSpec().positionalParameters().stream().filter(p -> String.join("", p.description()).isBlank())
        .forEach(p -> undescribed.add(name + " " + p.paramLabel()));
    c.getSubcommands().forEach((n, sub) -> {
      if (!n.equals("help")) {
        describe(sub, undescribed);
      }
    });
  }

  private static void collect(CommandLine c, List<String> prefix, List<List<String>> into) {
    into.add(List.copyOf(prefix));
    c.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> next = new ArrayList<>(prefix);
        next.add(name);
        collect(sub, next, into);
      }
    });
  }

  @Test
  void mapsFailuresToSysexitsCodes() throws Exception {
    assertThat(cli.run("devices", "list").exit()).as("not initialised").isEqualTo(ExitCodes.NO_INPUT);
    assertThat(cli.run("keys", "list", "--bogus").exit()).as("bad option").isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("keys").exit()).as("missing subcommand").isEqualTo(ExitCodes.USAGE);
    init();
    assertThat(cli.run("keys", "revoke", "Nosuch12").exit()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(cli.run("tokens", "create", "--profile", "nosuch").exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(cli.run("tokens", "create", "--profile", "default", "--ttl", "soon").exit()).isEqualTo(ExitCodes.USAGE);
    Path badCsr = root.resolve("bad.csr");
    Files.write(badCsr, Csrs.withoutProofOfPossession(random));
    assertThat(cli.run("certs", "issue", "--csr", badCsr.toString()).exit()).isEqualTo(ExitCodes.DATA);
    assertThat(cli.run("certs", "issue", "--csr", root.resolve("missing.csr").toString()).exit())
        .isEqualTo(ExitCodes.NO_INPUT);

    Files.setPosixFilePermissions(cli.keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(cli.run("devices", "list").exit()).as("insecure key file").isEqualTo(ExitCodes.NO_PERMISSION);
  }

  @Test
  void refusesTheWrongKeyAndReportsAVaultInUseAsTemporary() throws Exception {
    init();
    ProvisioningRuntime held = ProvisioningRuntime.open(cli.dir, Optional.of(cli.keyFile), Map.of());
    try {
      assertThat(cli.run("devices", "list").exit()).isEqualTo(ExitCodes.TEMPORARY);
    } finally {
      held.close();
    }
    Path otherKey = root.resolve("other.key");
    dev.holdfast.vault.KeyFiles.generate(otherKey, TestRandom.seeded(63));
    StringWriter err = new StringWriter();
    int exit = Main.run(new String[] {"devices", "list", "--dir", cli.dir.toString(), "--key-file", otherKey.toString()},
        Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), System.in);
    assertThat(exit).isEqualTo(ExitCodes.NO_PERMISSION);
  }

  @Test
  void runsTheOperatorWorkflowFromCsrToRevocation() throws Exception {
    init();
    Path csr = root.resolve("device.csr");
    Files.writeString(csr, Pem.encode("CERTIFICATE REQUEST", Csrs.valid(random)));

    CliHarness.Result issued = cli.run("certs", "issue", "--csr", csr.toString(), "--device", "pump-1");
    CliHarness.Result key = cli.run("keys", "create", "--device", "pump-1", "--scopes", "messages:send", "--json");
    @SuppressWarnings("unchecked")
    Map<String, Object> keyJson = (Map<String, Object>) JsonParser.parse(key.out());
    CliHarness.Result keys = cli.run("keys", "list", "--device", "pump-1", "--json");
    CliHarness.Result devices = cli.run("devices", "list", "--expiring-within", "31d", "--json");
    CliHarness.Result notExpiring = cli.run("devices", "list", "--expiring-within", "29d", "--json");
    CliHarness.Result show = cli.run("devices", "show", "pump-1");
    CliHarness.Result revoke = cli.run("certs", "revoke", "--device", "pump-1");
    CliHarness.Result audit = cli.run("audit", "--device", "pump-1", "--since", "1h", "--json");
    CliHarness.Result crl = cli.run("crl", "export", "--out", root.resolve("exported.crl").toString());

    assertThat(issued.exit()).as(issued.err()).isZero();
    assertThat(Pem.certificates(issued.out())).hasSize(3);
    assertThat(keyJson.get("key").toString()).matches("hf_[0-9A-Za-z]{36}");
    assertThat(keys.out()).contains(keyJson.get("id").toString()).doesNotContain(keyJson.get("key").toString());
    assertThat(devices.out()).contains("pump-1");
    assertThat(notExpiring.out().trim()).isEqualTo("[]");
    assertThat(show.out()).contains("api_keys").contains(keyJson.get("id").toString());
    assertThat(revoke.exit()).isZero();
    assertThat(revoke.out()).contains("revoked");
    assertThat(audit.out()).contains("cert.issued").contains("key.created").contains("device.revoked")
        .doesNotContain(keyJson.get("key").toString());
    assertThat(crl.exit()).as(crl.err()).isZero();
    assertThat(Files.readString(root.resolve("fleet.crl"))).startsWith("-----BEGIN X509 CRL-----");
  }

  @Test
  void createsTokensOnceListsThemByIdAndEnrollsWithOne() throws Exception {
    init();
    CliHarness.Result created = cli.run("tokens", "create", "--count", "3", "--profile", "default", "--json");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tokens = (List<Map<String, Object>>) JsonParser.parse(created.out());
    String token = tokens.get(0).get("token").toString();
    Path csr = root.resolve("bench.csr");
    Files.write(csr, Csrs.valid(random));

    CliHarness.Result enrolled = cli.run("enroll", "--token", token, "--csr", csr.toString(), "--out",
        root.resolve("chain.pem").toString(), "--json");
    CliHarness.Result again = cli.run("enroll", "--token", token, "--csr", csr.toString(), "--out",
        root.resolve("chain2.pem").toString());
    CliHarness.Result revoke = cli.run("tokens", "revoke", tokens.get(1).get("id").toString());
    CliHarness.Result list = cli.run("tokens", "list");

    assertThat(tokens).hasSize(3);
    assertThat(token).matches("hfe_[0-9A-Za-z]{36}");
    assertThat(enrolled.exit()).as(enrolled.err()).isZero();
    assertThat(Pem.certificates(Files.readString(root.resolve("chain.pem")))).hasSize(3);
    assertThat(again.exit()).isEqualTo(ExitCodes.DATA);
    assertThat(again.err()).contains("already used");
    assertThat(revoke.exit()).isZero();
    assertThat(list.out()).contains("REDEEMED").contains("REVOKED").contains("UNUSED").doesNotContain(token);
  }
}
