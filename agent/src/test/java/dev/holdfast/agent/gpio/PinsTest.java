package dev.holdfast.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.boardinfo.definition.BoardModel;
import dev.holdfast.agent.config.GpioSettings;
import dev.holdfast.agent.testing.MockGpio;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.agent.testing.VirtualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the board offers, and each reason a configured pin cannot be used, with the message a user sees. */
class PinsTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atTheStartOf2026();
  static final List<GpioSettings.PinUse> DOOR = List.of(new GpioSettings.PinUse(17, "gpio.input.door.pin"));

  @Test
  void aRaspberryPi4HeaderHasGpio0To27AndGpio17IsHeaderPin11() {
    Board board = Pi4jPins.boardOf(BoardModel.MODEL_4_B);
    assertThat(board.headerPins().keySet()).containsExactlyElementsOf(
        java.util.stream.IntStream.rangeClosed(0, 27).boxed().toList());
    assertThat(board.headerPin(17)).contains(11);
    assertThat(board.gpios()).isEqualTo("GPIO 0-27");
  }

  @Test
  void aPinTheBoardDoesNotHaveIsRefusedNamingTheSettingAndWhatTheBoardHas() throws Exception {
    GpioSettings settings = GpioFixtures.settings(dir, """
        gpio.input.door.pin = 40
        gpio.input.door.channel = sms
        gpio.input.door.to = +15551234567
        """);
    assertThatThrownBy(() -> Gpio.open(settings, MockGpio.raspberryPi4().hardware(), true,
        new VirtualScheduler(clock), clock))
        .isInstanceOfSatisfying(GpioException.class, e -> assertThat(e.reason())
            .isEqualTo(GpioException.Reason.NO_SUCH_PIN))
        .hasMessage("gpio.input.door.pin = 40: the Raspberry Pi 4 Model B has no GPIO 40 on its header (it has "
            + "GPIO 0-27); use the GPIO (BCM) number, not the header pin number");
  }

  @Test
  void aPinHeldElsewhereIsRefusedAndTheOtherPinsAreReleased() throws Exception {
    GpioSettings settings = GpioFixtures.settings(dir, """
        gpio.input.door.pin = 17
        gpio.input.door.channel = sms
        gpio.input.door.to = +15551234567
        gpio.led.pin = 18
        """);
    MockGpio board = MockGpio.raspberryPi4();
    board.holdElsewhere(18);
    assertThatThrownBy(() -> Gpio.open(settings, board.hardware(), true, new VirtualScheduler(clock), clock))
        .isInstanceOfSatisfying(GpioException.class, e -> assertThat(e.reason())
            .isEqualTo(GpioException.Reason.PIN_BUSY))
        .hasMessageStartingWith("gpio.led.pin = 18: GPIO 18 is held by another process (")
        .hasMessageEndingWith("); see who holds it with 'gpioinfo' (Debian package gpiod) and stop it, or wire to "
            + "another pin");
  }

  @Test
  void onThisMachineWithoutGpioTheCheckSaysSoBeforePi4jIsTouched() {
    assertThat(Path.of("/dev/gpiochip0")).doesNotExist();
    assertThatThrownBy(() -> GpioHardware.system().open(DOOR))
        .isInstanceOfSatisfying(GpioException.class, e -> assertThat(e.reason())
            .isEqualTo(GpioException.Reason.NO_GPIO))
        .hasMessage("gpio.input.door.pin = 17: this machine has no GPIO (no /dev/gpiochip* device); remove the "
            + "gpio.* settings, or run the agent on the board the pins are wired to");
  }

  @Test
  void aGpioChipOnAnotherArchitectureIsNotABoardWeSupport() throws Exception {
    Path dev = Files.createDirectory(dir.resolve("dev"));
    Files.createFile(dev.resolve("gpiochip0"));
    assertThatThrownBy(() -> SystemGpio.check(dev, "amd64", DOOR))
        .isInstanceOfSatisfying(GpioException.class, e -> assertThat(e.reason())
            .isEqualTo(GpioException.Reason.UNSUPPORTED_BOARD))
        .hasMessageContaining("gpio.input.door.pin = 17: GPIO is supported on Raspberry Pi boards")
        .hasMessageContaining("this machine is amd64");
    SystemGpio.check(dev, "aarch64", DOOR); // readable and writable (as root): passes
  }
}
