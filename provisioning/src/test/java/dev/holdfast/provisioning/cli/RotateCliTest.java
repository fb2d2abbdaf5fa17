package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.provisioning.credentials.OperatorRole;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rotate --device}'s and {@code fleet rotate}'s refusals, before they touch the broker (their
 * runs are in rotation/RotationIT and the end-to-end test with real agents).
 */
class RotateCliTest {
  @TempDir Path root;
  CliHarness cli;

  @BeforeEach
  void init() throws Exception {
    cli = new CliHarness(root);
    assertThat(cli.run("init", "--fleet-name", "Test Fleet").exit()).isZero();
  }

  @Test
  void withoutABrokerEitherExitsWithAUsageErrorNamingTheSetting() {
    for (List<String> args : List.of(List.of("rotate", "--device", "dev-0123456789abcdef"),
        List.of("fleet", "rotate", "--all"))) {
      CliHarness.Result r = cli.run(args.toArray(String[]::new));
      assertThat(r.exit()).as(args.toString()).isEqualTo(ExitCode.USAGE.code());
      assertThat(r.err()).contains("--mqtt").contains("broker.mqtt-uri");
    }
  }

  @Test
  void anUnknownDeviceExits66AndNothingIsSent() {
    CliHarness.Result r = cli.run("rotate", "--device", "dev-0123456789abcdef", "--mqtt", "ssl://127.0.0.1:1");
    assertThat(r.exit()).isEqualTo(ExitCode.NO_INPUT.code());
    assertThat(r.err()).contains("no active device dev-0123456789abcdef");
  }

  @Test
  void itsHelpSaysWhatItDoesAndHowToRunItWhileServeRuns() {
    CliHarness.Result r = cli.run("rotate", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("signed 'rotate'").contains("With 'serve' running, run it through the service: --service URL")
        .contains("--operator DIR/NAME (role admin)");
  }

  @Test
  void fleetRotateNeedsExactlyOneSelection() {
    CliHarness.Result none = cli.run("fleet", "rotate");
    CliHarness.Result both = cli.run("fleet", "rotate", "--all", "--expiring-within", "30d");

    assertThat(none.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(none.err()).contains("--all").contains("--expiring-within");
    assertThat(both.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void fleetRotatesBadBoundOrDurationIsAUsageErrorNamingTheOption() {
    CliHarness.Result bound = cli.run("fleet", "rotate", "--all", "--max-in-flight", "0", "--mqtt", "ssl://127.0.0.1:1");
    CliHarness.Result within = cli.run("fleet", "rotate", "--expiring-within", "soon", "--mqtt", "ssl://127.0.0.1:1");

    assertThat(bound.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(bound.err()).contains("--max-in-flight must be between 1 and 1000");
    assertThat(within.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(within.err()).contains("--expiring-within");
  }

  @Test
  void throughTheServiceBothNeedTheAdminRole() {
    assertThat(CommandRoles.needed("fleet rotate")).contains(OperatorRole.ADMIN);
    assertThat(CommandRoles.HOST_ONLY).doesNotContain("fleet rotate");
    assertThat(CommandRoles.needed("rotate")).contains(OperatorRole.ADMIN);
  }

  @Test
  void fleetRotatesHelpSaysHowItResumesAndWhereItRuns() {
    CliHarness.Result r = cli.run("fleet", "rotate", "--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--max-in-flight").contains("Run again, it resumes")
        .contains("--service URL --operator DIR/NAME");
  }
}
