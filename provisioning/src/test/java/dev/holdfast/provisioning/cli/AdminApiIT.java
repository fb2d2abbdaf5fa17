package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.provisioning.testing.TestRandom;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators as clients of a running {@code serve} (the packaged jar, a real Mosquitto): from another
 * working directory holding only their operator files and the URL, each command a process of its own.
 */
class AdminApiIT {
  static final String DEVICE = "dev-0123456789abcdef";

  @TempDir Path root;
  CliHarness cli;
  CliBroker fleet;
  ProvisioningJarIT.RelayProcess serve;
  final List<String> log = new CopyOnWriteArrayList<>();
  Path laptop;
  String url;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(root);
    fleet = CliBroker.start(cli, root, "Admin Fleet", null).wire(cli);
    CliBroker.issue(cli, root, DEVICE, TestRandom.seeded(601));
    laptop = Files.createDirectories(root.resolve("laptop"));
    for (String[] op : new String[][] {{"ada", "admin"}, {"vic", "viewer"}}) {
      CliHarness.Result added = cli.run("operators", "add", op[0], "--role", op[1], "--out",
          laptop.resolve("ops").toString());
      assertThat(added.exit()).as(added.err()).isZero();
    }
    serve = ProvisioningJarIT.RelayProcess.start(List.of("java", "-jar", ProvisioningJarIT.JAR.toAbsolutePath().toString(),
        "serve", "--dir", cli.dir.toString(), "--key-file", cli.keyFile.toString(), "--listen", "127.0.0.1:0",
        "--insecure-http", "--admin-listen", "127.0.0.1:0"), log);
    url = "https://127.0.0.1:" + serve.port();
  }

  @AfterEach
  void tearDown() {
    if (serve != null) {
      serve.close();
    }
    fleet.close();
  }

  /** {@code holdfast-provisioning ARGS --service URL --operator ops/NAME}, run in the laptop directory. */
  Run as(String operator, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", ProvisioningJarIT.JAR.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--service", url, "--operator", "ops/" + operator));
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(laptop.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HOLDFAST_"));
    Process p = pb.start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the client finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void anAdminCreatesTokensListsDevicesAndRevokesOneWhileServeHoldsTheDataDirectory() throws Exception {
    Run token = as("ada", "tokens", "create", "--profile", "default");
    assertThat(token.exit()).as(token.err()).isZero();
    assertThat(token.out()).startsWith("hfe_");

    Run devices = as("ada", "devices", "list", "--json");
    assertThat(devices.exit()).as(devices.err()).isZero();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) JsonParser.parse(devices.out());
    assertThat(rows).extracting(r -> r.get("id")).containsExactly(DEVICE);

    Run revoked = as("ada", "revoke", "--device", DEVICE);
    assertThat(revoked.exit()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("device " + DEVICE + " is revoked").contains("broker signalled");

    CliHarness.Result local = cli.run("devices", "list");
    assertThat(local.exit()).isEqualTo(ExitCode.TEMP_FAIL.code());
    assertThat(local.err()).contains("a service is running: use --service https://HOST:8444 --operator DIR/NAME");

    Run audit = as("vic", "audit", "--json");
    assertThat(audit.exit()).as(audit.err()).isZero();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events = (List<Map<String, Object>>) JsonParser.parse(audit.out());
    assertThat(events).filteredOn(e -> "operator:ada".equals(e.get("actor"))).extracting(e -> e.get("action"))
        .contains("tokens.created", "device.revoked", "admin.command");
    assertThat(events).filteredOn(e -> "admin.command".equals(e.get("action"))).extracting(e -> e.get("detail"))
        .containsExactly("tokens create --profile default: exit 0", "revoke --device " + DEVICE + ": exit 0");
  }

  @Test
  void aViewerCallingAnAdminCommandGets403AndExit77AndMayListDevices() throws Exception {
    Run refused = as("vic", "tokens", "create", "--profile", "default");
    assertThat(refused.exit()).isEqualTo(ExitCode.NO_PERMISSION.code()).isEqualTo(77);
    assertThat(refused.err()).contains("operator vic has role viewer").contains("'tokens create' needs role admin");

    HttpClient http = HttpClient.newBuilder().sslContext(AdminClient.context(laptop.resolve("ops/vic").toString()))
        .build();
    HttpResponse<String> raw = http.send(HttpRequest.newBuilder(URI.create(url + AdminApi.PATH))
        .POST(HttpRequest.BodyPublishers.ofString("{\"args\":[\"tokens\",\"create\",\"--profile\",\"default\"]}",
            StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(raw.statusCode()).isEqualTo(403);
    assertThat(raw.body()).contains("\"exit\":77");
    HttpResponse<String> large = http.send(HttpRequest.newBuilder(URI.create(url + AdminApi.PATH))
        .POST(HttpRequest.BodyPublishers.ofString("{\"args\":[\"" + "x".repeat(AdminApi.MAX_BODY) + "\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(large.statusCode()).isEqualTo(413);

    Run listed = as("vic", "devices", "list");
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).contains(DEVICE);
  }

  @Test
  void anOperatorRemovedThroughTheServiceIsRefusedOnItsNextRequest() throws Exception {
    assertThat(as("vic", "devices", "list").exit()).isZero();

    Run removed = as("ada", "operators", "remove", "vic");
    assertThat(removed.exit()).as(removed.err()).isZero();

    Run refused = as("vic", "devices", "list");
    assertThat(refused.exit()).isEqualTo(ExitCode.NO_PERMISSION.code());
    assertThat(refused.err()).contains("not (or no longer) an active operator's");
    assertThat(String.join("\n", log)).contains("refused a client certificate");
  }

  @Test
  void anAdminAddsAnOperatorWhoseFilesAreWrittenOnTheOperatorsSide() throws Exception {
    Run added = as("ada", "operators", "add", "zed", "--role", "viewer", "--out", "new-ops");

    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.out()).contains("new-ops/zed.pem").doesNotContain("holdfast-admin-");
    assertThat(laptop.resolve("new-ops/zed.key")).exists();
    assertThat(OperatorsCliTest.mode(laptop.resolve("new-ops/zed.key"))).isEqualTo("rw-------");
    assertThat(laptop.resolve("new-ops/fleet-root.pem")).exists();
    Files.move(laptop.resolve("new-ops/zed.pem"), laptop.resolve("ops/zed.pem"));
    Files.move(laptop.resolve("new-ops/zed.key"), laptop.resolve("ops/zed.key"));
    assertThat(as("zed", "tokens", "list").exit()).isZero();
  }

  @Test
  void anOperatorsAddWhoseKeyFileExistsHereIsRefusedBeforeTheServiceIssuesACertificate() throws Exception {
    Files.createDirectories(laptop.resolve("new-ops"));
    Files.writeString(laptop.resolve("new-ops/zed.key"), "someone's key");

    Run refused = as("ada", "operators", "add", "zed", "--role", "viewer", "--out", "new-ops");

    assertThat(refused.exit()).isEqualTo(ExitCode.CANT_CREATE.code());
    assertThat(refused.err()).contains("new-ops/zed.key exists; choose another --out directory");
    assertThat(Files.readString(laptop.resolve("new-ops/zed.key"))).isEqualTo("someone's key");
    Run listed = as("ada", "operators", "list", "--json");
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).doesNotContain("\"zed\"");
  }

  @Test
  void hostOnlyCommandsAndHostOptionsAreRefusedWith64AndAServiceThatIsDownExits69() throws Exception {
    Run serveAgain = as("ada", "serve");
    assertThat(serveAgain.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(serveAgain.err()).contains("'serve' runs only on the service host");

    Run dir = as("ada", "devices", "list", "--dir", "/var/lib/holdfast-provisioning");
    assertThat(dir.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(dir.err()).contains("--dir is not taken through the admin API");

    serve.close();
    serve = null;
    Run down = as("ada", "devices", "list");
    assertThat(down.exit()).isEqualTo(ExitCode.UNAVAILABLE.code()).isEqualTo(69);
    assertThat(down.err()).contains("cannot reach the admin API at " + url);
  }
}
