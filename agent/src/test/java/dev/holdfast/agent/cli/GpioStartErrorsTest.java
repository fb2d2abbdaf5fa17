package dev.holdfast.agent.cli;

import dev.holdfast.common.cli.ExitCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.config.ConfigLoader;
import dev.holdfast.agent.config.Setting;
import dev.holdfast.agent.gpio.GpioException;
import dev.holdfast.agent.testing.MockGpio;
import dev.holdfast.vault.VaultException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A GPIO setting that cannot work stops the agent at start with its exit code and one clear line. */
class GpioStartErrorsTest {
  static final String DOOR = """
      gpio.input.door.pin = 17
      gpio.input.door.channel = sms
      gpio.input.door.to = +15551234567
      """;
  @TempDir Path home;
  AgentFixture agent;
  Path config;

  @BeforeEach
  void init() throws Exception {
    agent = new AgentFixture(home);
    config = agent.initVaultWithConfig();
  }

  void configure(String text) throws Exception {
    Files.writeString(config, text, StandardOpenOption.APPEND);
  }

  AgentConfig loaded() throws Exception {
    return ConfigLoader.load(Optional.of(config), Map.of(Setting.DATA_DIR, agent.dataDir.toString(),
        Setting.VAULT_KEY_FILE, agent.keyFile.toString()));
  }


  @Test
  void runWithAPinOnAMachineWithoutGpioExits78NamingThePinAndTheReasonAndLeavesTheVaultAlone() throws Exception {
    configure(DOOR + "gpio.led.pin = 18\n");
    String before = AgentFixture.sha256(agent.vaultFile());

    AgentFixture.Result run = agent.agentWithConfig(config, "", "run");

    assertThat(run.code()).isEqualTo(78);
    assertThat(run.error()).isEqualTo("holdfast-agent: gpio.input.door.pin = 17, gpio.led.pin = 18: this machine has "
        + "no GPIO (no /dev/gpiochip* device); remove the gpio.* settings, or run the agent on the board the pins are "
        + "wired to");
    assertThat(AgentFixture.sha256(agent.vaultFile())).isEqualTo(before);
    AgentFixture.Result list = agent.agentWithConfig(config, "", "gpio", "list");
    assertThat(list.code()).isEqualTo(78);
    assertThat(list.error()).contains("gpio.input.door.pin = 17: this machine has no GPIO");
  }

  @Test
  void withoutGpioSettingsGpioListSaysSoAndExits0() {
    AgentFixture.Result list = agent.agentWithConfig(config, "", "gpio", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("no GPIO pins are configured");
  }

  @Test
  void twoUsesOfOnePinExit78NamingBoth() throws Exception {
    configure(DOOR + "gpio.led.pin = 17\n");
    AgentFixture.Result run = agent.agentWithConfig(config, "", "run");
    assertThat(run.code()).isEqualTo(78);
    assertThat(run.error()).endsWith("line 5: gpio.led.pin = 17 is already used by gpio.input.door.pin; a pin can "
        + "have one use");
  }

  @Test
  void aPinTheBoardDoesNotHaveAndAPinHeldElsewhereAreConfigurationErrors() throws Exception {
    configure(DOOR.replace("= 17", "= 31"));
    Exception missing = catchStart(loaded(), MockGpio.raspberryPi4());
    assertThat(missing).hasMessageStartingWith("gpio.input.door.pin = 31: the Raspberry Pi 4 Model B has no GPIO 31");
    assertThat(ExitCodes.of(missing)).isEqualTo(ExitCode.CONFIG);

    Files.writeString(config, "local.socket = " + home.resolve("agent.sock") + "\n" + DOOR);
    MockGpio board = MockGpio.raspberryPi4();
    board.holdElsewhere(17);
    Exception held = catchStart(loaded(), board);
    assertThat(held).hasMessageStartingWith("gpio.input.door.pin = 17: GPIO 17 is held by another process");
    assertThat(ExitCodes.of(held)).isEqualTo(ExitCode.CONFIG);
  }

  @Test
  void aBadDestinationStopsTheStartBeforeAnyPinIsClaimed() throws Exception {
    configure(DOOR.replace("+15551234567", "5551234"));
    MockGpio board = MockGpio.raspberryPi4();
    Exception e = catchStart(loaded(), board);
    assertThat(e).hasMessageStartingWith("gpio.input.door (channel sms, to '5551234'): its message would be refused");
    assertThat(ExitCodes.of(e)).isEqualTo(ExitCode.CONFIG);
  }

  @Test
  void aVaultThatWillNotOpenShowsTheVaultErrorPatternForTheFaultHoldThenTheLedGoesOff() throws Exception {
    configure("gpio.led.pin = 18\ngpio.led.fault-hold = 1s\n");
    Files.writeString(agent.keyFile, "00".repeat(32) + "\n"); // another key: the vault refuses it
    MockGpio board = MockGpio.raspberryPi4();

    assertThatThrownBy(() -> AgentRuntime.start(AgentFixture.silentContext(), loaded(), board.hardware()))
        .isInstanceOfSatisfying(VaultException.class, v -> assertThat(v.reason())
            .isEqualTo(VaultException.Reason.WRONG_KEY));

    // "starting" blinks 100/100 ms; the vault error is 4 flashes of 150 ms: in 1 s, at least 3 flashes
    assertThat(board.drivesOf("gpio.led.pin")).hasSizeGreaterThanOrEqualTo(6).last().isEqualTo(false);
  }

  @ParameterizedTest(name = "{0}: exit {1}")
  @CsvSource({"NO_GPIO, 78", "UNSUPPORTED_BOARD, 78", "NO_SUCH_PIN, 78", "PIN_BUSY, 78", "BAD_MESSAGE, 78",
      "NO_PERMISSION, 77", "FAILED, 69"})
  void everyGpioReasonHasItsExitCode(GpioException.Reason reason, int code) {
    assertThat(ExitCodes.of(new GpioException(reason, "x")).code()).isEqualTo(code);
  }

  private static Exception catchStart(AgentConfig config, MockGpio board) {
    try {
      AgentRuntime.start(AgentFixture.silentContext(), config, board.hardware()).close();
      throw new AssertionError("the agent started");
    } catch (Exception e) {
      return e;
    }
  }
}
