package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rotate --device}'s refusals, before it touches the broker (its run is in rotation/RotationIT). */
class RotateCliTest {
  @TempDir Path root;
  CliHarness cli;

  @BeforeEach
  void init() throws Exception {
    cli = new CliHarness(root);
    assertThat(cli.run("init", "--fleet-name", "Test Fleet").exit()).isZero();
  }

  @Test
  void withoutABrokerItExitsWithAUsageErrorNamingTheSetting() {
    CliHarness.Result r = cli.run("rotate", "--device", "dev-0123456789abcdef");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).contains("--mqtt").contains("broker.mqtt-uri");
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
}
