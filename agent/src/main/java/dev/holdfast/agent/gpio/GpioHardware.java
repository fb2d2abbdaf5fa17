package dev.holdfast.agent.gpio;

import dev.holdfast.agent.config.GpioSettings;
import java.util.List;

/** Where the pins come from: this machine's GPIO, or (in tests) Pi4J's mock provider. */
@FunctionalInterface
public interface GpioHardware {
  /**
   * Opens the board for {@code uses}, the configured pins (named in errors).
   *
   * @throws GpioException when the machine has no usable GPIO
   */
  Pins open(List<GpioSettings.PinUse> uses) throws GpioException;

  /**
   * This machine's GPIO through Pi4J's gpiod provider. Pi4J is loaded only when {@link #open} is
   * called, after the checks of {@link SystemGpio} passed.
   */
  static GpioHardware system() {
    return uses -> SystemGpio.open(uses);
  }
}
