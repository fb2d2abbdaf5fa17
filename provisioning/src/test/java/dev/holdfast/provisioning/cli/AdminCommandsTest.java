package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.provisioning.credentials.OperatorRole;
import dev.holdfast.provisioning.registry.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the admin API runs and refuses, on a real data directory opened once, as the service holds it. */
class AdminCommandsTest {
  @TempDir java.nio.file.Path root;
  ProvisioningRuntime rt;
  AdminCommands commands;

  @BeforeEach
  void setUp() throws Exception {
    CliHarness cli = new CliHarness(root);
    CliHarness.Result init = cli.run("init", "--fleet-name", "Admin");
    assertThat(init.exit()).as(init.err()).isZero();
    rt = ProvisioningRuntime.open(cli.dir, Optional.of(cli.keyFile), Map.of());
    commands = new AdminCommands(rt);
  }

  @AfterEach
  void tearDown() {
    rt.close();
  }

  @Test
  void aViewerCallingAnAdminCommandGets403AndExit77NamingTheOperatorTheCommandAndTheRole() throws Exception {
    AdminCommands.Answer a = commands.run("vic", OperatorRole.VIEWER, List.of("tokens", "create", "--profile",
        "default"), new byte[0]);

    assertThat(a.status()).isEqualTo(403);
    assertThat(a.exit()).isEqualTo(ExitCode.NO_PERMISSION.code()).isEqualTo(77);
    assertThat(a.stderr()).contains("operator vic has role viewer").contains("'tokens create' needs role admin");
    assertThat(rt.tokens().list()).isEmpty();
  }

  @Test
  void anAdminsCommandRunsOnTheOpenRuntimeAndItsAuditEventsNameTheOperator() throws Exception {
    AdminCommands.Answer a = commands.run("ada", OperatorRole.ADMIN, List.of("tokens", "create", "--profile",
        "default", "--json"), new byte[0]);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.exit()).as(a.stderr()).isZero();
    assertThat(a.stdout()).contains("\"token\"");
    var events = rt.registry.read(tx -> tx.audit().all());
    assertThat(events).filteredOn(e -> e.action().equals("tokens.created")).extracting(e -> e.actor())
        .containsExactly("operator:ada");
    assertThat(events).filteredOn(e -> e.action().equals(AdminCommands.ACTION))
        .extracting(e -> e.actor() + " " + e.detail())
        .containsExactly("operator:ada tokens create --profile default --json: exit 0");
  }

  @Test
  void aViewerMayListAndLeavesNoAdminCommandEvent() throws Exception {
    AdminCommands.Answer a = commands.run("vic", OperatorRole.VIEWER, List.of("devices", "list", "--json"),
        new byte[0]);

    assertThat(a.exit()).as(a.stderr()).isZero();
    assertThat(a.stdout().strip()).isEqualTo("[]");
    List<AuditEvent> events = rt.registry.read(tx -> tx.audit().all());
    assertThat(events).noneMatch(e -> e.action().equals(AdminCommands.ACTION));
  }

  @Test
  void hostOnlyCommandsAndOptionsNamingTheHostsFilesAreRefusedWith64BeforeAnythingRuns() throws Exception {
    List<List<String>> refused = List.of(List.of("serve"), List.of("init"), List.of("broker", "certs", "--out", "/tmp/x",
        "--name", "h"), List.of("devices", "ping", "dev-0123456789abcdef"), List.of("devices", "list", "--dir", "/x"),
        List.of("audit", "--key-file=/k"), List.of("tokens", "list", "--service", "https://x:1"), List.of(),
        List.of("no-such-command"));
    for (List<String> args : refused) {
      AdminCommands.Answer a = commands.run("ada", OperatorRole.ADMIN, args, new byte[0]);
      assertThat(a.exit()).as(args + ": " + a.stderr()).isEqualTo(ExitCode.USAGE.code());
      assertThat(a.status()).as(args.toString()).isEqualTo(400);
    }
    assertThat(commands.run("ada", OperatorRole.ADMIN, List.of("serve"), new byte[0]).stderr())
        .contains("'serve' runs only on the service host");
  }

  @Test
  void rotateThroughAServiceWithoutABrokerConnectionExits69AndRefusesItsOwnMqttOption() throws Exception {
    AdminCommands.Answer noBroker = commands.run("ada", OperatorRole.ADMIN,
        List.of("rotate", "--device", "dev-0123456789abcdef"), new byte[0]);
    AdminCommands.Answer ownBroker = commands.run("ada", OperatorRole.ADMIN,
        List.of("rotate", "--device", "dev-0123456789abcdef", "--mqtt", "ssl://127.0.0.1:1"), new byte[0]);
    AdminCommands.Answer viewer = commands.run("vic", OperatorRole.VIEWER,
        List.of("rotate", "--device", "dev-0123456789abcdef"), new byte[0]);

    assertThat(noBroker.exit()).as(noBroker.stderr()).isEqualTo(ExitCode.UNAVAILABLE.code());
    assertThat(noBroker.stderr()).contains("runs without a broker connection").contains("--mqtt");
    assertThat(ownBroker.exit()).as(ownBroker.stderr()).isEqualTo(ExitCode.USAGE.code());
    assertThat(ownBroker.stderr()).contains("--mqtt is not taken through the service");
    assertThat(viewer.status()).isEqualTo(403);
  }

  @Test
  void helpRunsForEveryRole() throws Exception {
    AdminCommands.Answer a = commands.run("vic", OperatorRole.VIEWER, List.of("tokens", "create", "--help"),
        new byte[0]);

    assertThat(a.exit()).isZero();
    assertThat(a.stdout()).contains("--profile");
  }

  @Test
  void anOutDirectoryOptionIsReplacedAndTheGivenValueReturned() {
    List<String> args = new ArrayList<>(List.of("operators", "add", "zed", "--out", "mine"));
    assertThat(AdminCommands.replaceValue(args, "--out", "/tmp/t")).isEqualTo("mine");
    assertThat(args).containsExactly("operators", "add", "zed", "--out", "/tmp/t");
    List<String> joined = new ArrayList<>(List.of("operators", "add", "zed", "--out=mine"));
    assertThat(AdminCommands.replaceValue(joined, "--out", "/tmp/t")).isEqualTo("mine");
    assertThat(joined).containsExactly("operators", "add", "zed", "--out=/tmp/t");
  }
}
