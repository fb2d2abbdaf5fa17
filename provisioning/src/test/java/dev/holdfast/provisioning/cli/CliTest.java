package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.HangupRecorder;
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
    assertThat(cli.run("init").exit()).isEqualTo(ExitCode.CANT_CREATE.code());
  }

  @Test
  void refusesPlainHttpOnANonLoopbackAddress() {
    init();

    CliHarness.Result r = cli.run("relay", "--insecure-http", "--listen", "0.0.0.0:0");

    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
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
    assertThat(cli.run("devices", "list").exit()).as("not initialised").isEqualTo(ExitCode.NO_INPUT.code());
    assertThat(cli.run("keys", "list", "--bogus").exit()).as("bad option").isEqualTo(ExitCode.USAGE.code());
    assertThat(cli.run("keys").exit()).as("missing subcommand").isEqualTo(ExitCode.USAGE.code());
    init();
    assertThat(cli.run("keys", "revoke", "Nosuch12").exit()).isEqualTo(ExitCode.NO_INPUT.code());
    assertThat(cli.run("tokens", "create", "--profile", "nosuch").exit()).isEqualTo(ExitCode.CONFIG.code());
    assertThat(cli.run("tokens", "create", "--profile", "default", "--ttl", "soon").exit()).isEqualTo(ExitCode.USAGE.code());
    Path badCsr = root.resolve("bad.csr");
    Files.write(badCsr, Csrs.withoutProofOfPossession(random));
    assertThat(cli.run("certs", "issue", "--csr", badCsr.toString()).exit()).isEqualTo(ExitCode.DATA_ERROR.code());
    assertThat(cli.run("certs", "issue", "--csr", root.resolve("missing.csr").toString()).exit())
        .isEqualTo(ExitCode.NO_INPUT.code());

    Files.setPosixFilePermissions(cli.keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(cli.run("devices", "list").exit()).as("insecure key file").isEqualTo(ExitCode.NO_PERMISSION.code());
  }

  @Test
  void aKeyFileWithoutA256BitKeyIs65AsInTheAgentAndChangesNothing() throws Exception {
    init();
    Path shortKey = root.resolve("short.key");
    Files.writeString(shortKey, "0123456789abcdef");
    Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
    byte[] before = Files.readAllBytes(cli.dir.resolve(ProvisioningRuntime.VAULT_FILE));
    StringWriter err = new StringWriter();

    int exit = Main.run(new String[] {"devices", "list", "--dir", cli.dir.toString(), "--key-file", shortKey.toString()},
        Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), System.in);

    assertThat(exit).as(err.toString()).isEqualTo(ExitCode.DATA_ERROR.code());
    assertThat(err.toString()).contains("256-bit key");
    assertThat(Files.readAllBytes(cli.dir.resolve(ProvisioningRuntime.VAULT_FILE))).isEqualTo(before);
  }

  @Test
  void anUnknownOrRepeatedSettingIsRefusedNamingTheLineAndTheClosestKey() throws Exception {
    init();
    Path config = cli.dir.resolve(ProvisioningConfig.FILE);
    String original = Files.readString(config);
    Files.writeString(config, original + "relay.threds=4\n");

    CliHarness.Result unknown = cli.run("devices", "list");
    Files.writeString(config, original + "relay.threads=4\n");
    CliHarness.Result repeated = cli.run("devices", "list");

    assertThat(unknown.exit()).isEqualTo(ExitCode.CONFIG.code());
    assertThat(unknown.err()).contains(ProvisioningConfig.FILE + " line ").contains("unknown key 'relay.threds'")
        .contains("did you mean 'relay.threads'?");
    assertThat(repeated.exit()).isEqualTo(ExitCode.CONFIG.code());
    assertThat(repeated.err()).contains("'relay.threads' is already set on line");
  }

  @Test
  void refusesTheWrongKeyAndReportsAVaultInUseAsTemporary() throws Exception {
    init();
    ProvisioningRuntime held = ProvisioningRuntime.open(cli.dir, Optional.of(cli.keyFile), Map.of());
    try {
      assertThat(cli.run("devices", "list").exit()).isEqualTo(ExitCode.TEMP_FAIL.code());
    } finally {
      held.close();
    }
    Path otherKey = root.resolve("other.key");
    dev.holdfast.vault.KeyFiles.generate(otherKey, TestRandom.seeded(63));
    StringWriter err = new StringWriter();
    int exit = Main.run(new String[] {"devices", "list", "--dir", cli.dir.toString(), "--key-file", otherKey.toString()},
        Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), System.in);
    assertThat(exit).isEqualTo(ExitCode.NO_PERMISSION.code());
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
    CliHarness.Result revoke;
    CliHarness.Result crl;
    try (HangupRecorder broker = cli.standInBroker(root.resolve("etc"))) {
      revoke = cli.run("certs", "revoke", "--device", "pump-1");
      crl = cli.run("crl", "export", "--out", root.resolve("exported.crl").toString());
      org.awaitility.Awaitility.await("revoke and crl export each signal the broker once").atMost(java.time.Duration.ofSeconds(10))
          .until(() -> broker.hangups() == 2);
    }
    CliHarness.Result audit = cli.run("audit", "--device", "pump-1", "--since", "1h", "--json");

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
  void createsTokensOnceListsThemByIdAndEnrollsWithOneFromARequestFile() throws Exception {
    init();
    CliHarness.Result created = cli.run("tokens", "create", "--count", "3", "--profile", "default", "--json");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tokens = (List<Map<String, Object>>) JsonParser.parse(created.out());
    String token = tokens.get(0).get("token").toString();
    BenchDevice device = new BenchDevice(random);
    Path request = root.resolve("request.json");
    Files.writeString(request, device.requestJson(token));
    Path response = root.resolve("response.json");

    CliHarness.Result enrolled = cli.run("enroll", "--in", request.toString(), "--out", response.toString());
    CliHarness.Result again = cli.run("enroll", "--in", request.toString(), "--out", root.resolve("r2.json").toString());
    CliHarness.Result revoke = cli.run("tokens", "revoke", tokens.get(1).get("id").toString());
    CliHarness.Result list = cli.run("tokens", "list");

    assertThat(tokens).hasSize(3);
    assertThat(token).matches("hfe_[0-9A-Za-z]{36}");
    assertThat(enrolled.exit()).as(enrolled.err()).isZero();
    EnrollResponse r = EnrollResponse.parse(Files.readString(response));
    assertThat(enrolled.out().strip()).isEqualTo(r.deviceId());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(response))).isEqualTo("rw-------");
    assertThat(r.signedByIssuer()).isTrue();
    assertThat(r.chain()).hasSize(3);
    assertThat(device.apiKey(r)).startsWith("hf_");
    assertThat(Files.readString(response)).doesNotContain(device.apiKey(r));
    assertThat(again.exit()).as("the agent's code for a used token").isEqualTo(ExitCode.TOKEN_USED.code());
    assertThat(again.err().strip()).startsWith("holdfast-provisioning: token_used: ").contains("already used")
        .doesNotContain(token);
    assertThat(root.resolve("r2.json")).doesNotExist();
    assertThat(revoke.exit()).isZero();
    assertThat(list.out()).contains("REDEEMED").contains("REVOKED").contains("UNUSED").doesNotContain(token);
  }

  @Test
  void refusesEachBadEnrollmentWithItsCodeAndExitStatusAndWritesNoResponse() throws Exception {
    init();
    String token = cli.run("tokens", "create", "--profile", "default").out().lines().findFirst().orElseThrow();
    String revoked = cli.run("tokens", "create", "--profile", "default", "--json").out();
    @SuppressWarnings("unchecked")
    Map<String, Object> revokedToken = ((List<Map<String, Object>>) JsonParser.parse(revoked)).get(0);
    assertThat(cli.run("tokens", "revoke", revokedToken.get("id").toString()).exit()).isZero();
    BenchDevice device = new BenchDevice(random);
    String typo = token.substring(0, 10) + (token.charAt(10) == 'a' ? 'b' : 'a') + token.substring(11);
    String badCsr = new EnrollRequest(dev.holdfast.protocol.crypto.Secret.copyOf(token.getBytes()),
        Csrs.withoutProofOfPossession(random)).toJson();
    Object[][] cases = {
        {"not json", ExitCode.DATA_ERROR.code(), "bad_request"},
        {"{\"v\":1,\"token\":\"x\"}", ExitCode.DATA_ERROR.code(), "bad_request"},
        {"x".repeat(EnrollRequest.MAX_BYTES + 1), ExitCode.DATA_ERROR.code(), "too_large"},
        {device.requestJson(typo), ExitCode.TOKEN_UNKNOWN.code(), "token_malformed"},
        {device.requestJson(dev.holdfast.provisioning.tokens.EnrollmentToken.FORMAT.generate(random)),
            ExitCode.TOKEN_UNKNOWN.code(), "token_unknown"},
        {device.requestJson(revokedToken.get("token").toString()), ExitCode.TOKEN_REVOKED.code(), "token_revoked"},
        {badCsr, ExitCode.CSR_REFUSED.code(), "csr_rejected"},
    };
    for (Object[] c : cases) {
      Path request = root.resolve("req.json");
      Files.writeString(request, (String) c[0]);
      Path response = root.resolve("res.json");
      CliHarness.Result r = cli.run("enroll", "--in", request.toString(), "--out", response.toString());
      assertThat(r.exit()).as(r.err()).isEqualTo(c[1]);
      assertThat(r.err()).startsWith("holdfast-provisioning: " + c[2] + ": ").doesNotContain(token);
      assertThat(response).doesNotExist();
    }
    Files.writeString(root.resolve("req.json"), device.requestJson(token));
    assertThat(cli.run("enroll", "--in", root.resolve("req.json").toString(), "--out",
        root.resolve("res.json").toString()).exit()).as("the token survived every refusal").isZero();
  }

  @Test
  void writesTheBrokerFilesUnderTheNamesTheShippedConfigReadsWithTheirModes() throws Exception {
    init();
    Path etc = root.resolve("etc").resolve("holdfast");

    CliHarness.Result r = cli.run("broker", "certs", "--out", etc.toString(), "--name", "broker.example,10.0.0.7",
        "--no-reload");
    String first = Files.readString(etc.resolve("server.pem"));
    String newKeyMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve("server.key")));
    Files.setPosixFilePermissions(etc.resolve("server.key"), PosixFilePermissions.fromString("r--r-----"));
    CliHarness.Result again;
    try (HangupRecorder broker = cli.standInBroker(root.resolve("etc"))) {
      again = cli.run("broker", "certs", "--out", etc.toString(), "--name", "broker.example,10.0.0.7");
      org.awaitility.Awaitility.await("the broker's SIGHUP").atMost(java.time.Duration.ofSeconds(10))
          .until(() -> broker.hangups() == 1);
    }

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(again.exit()).as(again.err()).isZero();
    Map<String, String> modes = new java.util.TreeMap<>();
    try (var files = Files.list(etc)) {
      for (Path f : files.toList()) {
        modes.put(f.getFileName().toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
      }
    }
    assertThat(modes).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("ca-chain.pem", "rw-r--r--",
        "crl.pem", "rw-r--r--", "holdfast.acl", "rw-r--r--", "server.key", "r--r-----", "server.pem", "rw-r--r--")));
    assertThat(newKeyMode).as("a new key: group mosquitto may read it").isEqualTo("rw-r-----");
    assertThat(Files.readAttributes(etc.resolve("server.key"), java.nio.file.attribute.PosixFileAttributes.class)
        .group().getName()).as("a replaced key keeps its group and mode").isEqualTo("mosquitto");
    var server = Pem.certificates(Files.readString(etc.resolve("server.pem")));
    var chain = Pem.certificates(Files.readString(etc.resolve("ca-chain.pem")));
    assertThat(server).hasSize(2);
    assertThat(server.get(0).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(server.get(0).getSubjectAlternativeNames()).extracting(n -> n.get(1).toString())
        .containsExactly("broker.example", "10.0.0.7");
    assertThat(server.get(1)).isEqualTo(chain.get(0));
    assertThat(chain.get(1).getSubjectX500Principal()).isEqualTo(chain.get(1).getIssuerX500Principal());
    assertThat(Files.readString(etc.resolve("server.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(etc.resolve("crl.pem"))).startsWith("-----BEGIN X509 CRL-----");
    assertThat(Files.readString(etc.resolve("server.pem"))).as("the stored broker certificate is reused")
        .isEqualTo(first);
  }
}
