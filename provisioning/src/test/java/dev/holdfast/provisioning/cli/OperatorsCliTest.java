package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.testing.HangupRecorder;
import dev.holdfast.testkit.ConfigLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code operators} without a broker: files, modes, the registry, refusals that change nothing. */
class OperatorsCliTest {
  @TempDir Path root;
  CliHarness cli;
  Path etc;
  Path ops;
  HangupRecorder broker;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(root);
    etc = Files.createDirectories(root.resolve("etc"));
    ops = root.resolve("ops");
    CliHarness.Result init = cli.run("init", "--fleet-name", "Ops", "--crl-path", etc.resolve("crl.pem").toString());
    assertThat(init.exit()).as(init.err()).isZero();
    broker = cli.standInBroker(etc);
  }

  @AfterEach
  void tearDown() {
    broker.close();
  }

  void setConfig(String line) throws Exception {
    ConfigLines.set(cli.dir.resolve(ProvisioningConfig.FILE), line);
  }

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void addWritesTheOperatorsCertificateKeyAndRootAndItsAclBlock() throws Exception {
    CliHarness.Result r = cli.run("operators", "add", "alice", "--out", ops.toString(), "--lifetime", "30d");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(mode(ops.resolve("alice.key"))).isEqualTo("rw-------");
    assertThat(mode(ops.resolve("alice.pem"))).isEqualTo("rw-r--r--");
    List<X509Certificate> chain = Pem.certificates(Files.readString(ops.resolve("alice.pem")));
    X509Certificate root = Pem.certificates(Files.readString(ops.resolve("fleet-root.pem"))).get(0);
    assertThat(chain).hasSize(2);
    assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("OU=viewer,CN=holdfast.operator.alice");
    assertThat(chain.get(0).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(chain.get(0).getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(Duration.between(chain.get(0).getNotBefore().toInstant(), chain.get(0).getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(30).plusMinutes(5));
    chain.get(1).verify(root.getPublicKey());
    chain.get(0).verify(chain.get(1).getPublicKey());
    assertThat(Files.readString(etc.resolve("holdfast.acl"))).contains("user holdfast.operator.alice\n");
    assertThat(mode(etc.resolve("holdfast.acl"))).isEqualTo("rw-r--r--");
    assertThat(r.out()).contains("mosquitto_sub -h BROKER-HOST -p 8883 --cafile " + ops.resolve("fleet-root.pem"));
    assertThat(cli.run("audit").out()).contains("operator.added").contains("operator alice");
  }

  @Test
  void listShowsEveryOperatorWithItsSerialExpiryAndState() throws Exception {
    cli.run("operators", "add", "alice", "--out", ops.toString());
    cli.run("operators", "add", "bob", "--out", ops.toString());
    assertThat(cli.run("operators", "remove", "bob").exit()).isZero();

    CliHarness.Result list = cli.run("operators", "list", "--json");

    assertThat(list.exit()).isZero();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) JsonParser.parse(list.out());
    assertThat(rows).extracting(m -> m.get("name") + " " + m.get("state")).containsExactly("alice VALID", "bob REVOKED");
    assertThat(rows.get(0)).containsKeys("serial", "not_after");
    assertThat(Files.readString(etc.resolve("holdfast.acl"))).contains("holdfast.operator.alice")
        .doesNotContain("holdfast.operator.bob");
    assertThat(cli.run("audit").out()).contains("operator.removed");
  }

  @Test
  void addPutsTheRoleInTheSubjectsOuAndListShowsIt() throws Exception {
    CliHarness.Result added = cli.run("operators", "add", "carol", "--role", "admin", "--out", ops.toString());
    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.out()).contains("role admin");
    cli.run("operators", "add", "dave", "--out", ops.toString());

    X509Certificate carol = Pem.certificates(Files.readString(ops.resolve("carol.pem"))).get(0);
    assertThat(carol.getSubjectX500Principal().getName()).isEqualTo("OU=admin,CN=holdfast.operator.carol");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) JsonParser.parse(
        cli.run("operators", "list", "--json").out());
    assertThat(rows).extracting(m -> m.get("name") + " " + m.get("role")).containsExactly("carol admin", "dave viewer");
    assertThat(cli.run("operators", "list").out().lines().findFirst().orElseThrow()).contains("ROLE");
    assertThat(cli.run("audit").out()).contains("operator carol, role admin");
  }

  @Test
  void refusesARoleThatIsNeitherViewerNorAdminBeforeAnythingIsIssued() throws Exception {
    CliHarness.Result r = cli.run("operators", "add", "erin", "--role", "root", "--out", ops.toString());

    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).contains("a role is 'viewer' or 'admin', got 'root'");
    assertThat(ops).doesNotExist();
  }

  @Test
  void refusesABadNameBeforeAnythingIsIssuedOrWritten() throws Exception {
    for (String bad : List.of("Alice", "a.b", "", "x".repeat(33), "../etc")) {
      CliHarness.Result r = cli.run("operators", "add", bad, "--out", ops.toString());
      assertThat(r.exit()).as(bad).isEqualTo(ExitCode.USAGE.code());
      assertThat(r.err()).contains("operator name is 1 to 32 characters");
    }
    assertThat(ops).doesNotExist();
    assertThat(etc.resolve("holdfast.acl")).doesNotExist();
    assertThat(cli.run("operators", "list").out().lines()).hasSize(1);
  }

  @Test
  void refusesAnOperatorThatExistsAndAKeyFileThatWouldBeOverwritten() throws Exception {
    assertThat(cli.run("operators", "add", "alice", "--out", ops.toString()).exit()).isZero();
    String key = Files.readString(ops.resolve("alice.key"));

    CliHarness.Result again = cli.run("operators", "add", "alice", "--out", root.resolve("ops2").toString());
    CliHarness.Result sameDir = cli.run("operators", "add", "alice", "--out", ops.toString());

    assertThat(again.exit()).isEqualTo(ExitCode.DATA_ERROR.code());
    assertThat(again.err()).contains("operator alice exists already").contains("operators remove alice");
    assertThat(sameDir.exit()).isEqualTo(ExitCode.CANT_CREATE.code());
    assertThat(Files.readString(ops.resolve("alice.key"))).isEqualTo(key);
    assertThat(cli.run("operators", "list").out().lines()).hasSize(2);
  }

  @Test
  void refusesWhenTheAclDirectoryIsMissingBeforeIssuingAnything() throws Exception {
    setConfig("broker.acl-path=" + root.resolve("no-such-dir").resolve("holdfast.acl"));

    CliHarness.Result r = cli.run("operators", "add", "alice", "--out", ops.toString());

    assertThat(r.exit()).isEqualTo(ExitCode.CONFIG.code());
    assertThat(r.err()).contains("broker.acl-path").contains("does not exist");
    assertThat(ops).doesNotExist();
    assertThat(cli.run("operators", "list").out().lines()).hasSize(1);
  }

  @Test
  void anEmptyAclPathIssuesWithoutWritingAnAcl() throws Exception {
    setConfig("broker.acl-path=");

    CliHarness.Result r = cli.run("operators", "add", "alice", "--out", ops.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("ACL not written");
    assertThat(etc.resolve("holdfast.acl")).doesNotExist();
  }

  @Test
  void removingAnUnknownOperatorChangesNothing() {
    CliHarness.Result r = cli.run("operators", "remove", "nobody");

    assertThat(r.exit()).isEqualTo(ExitCode.NO_INPUT.code());
    assertThat(r.err()).contains("no operator nobody");
    assertThat(etc.resolve("crl.pem")).doesNotExist();
  }
}
