package dev.holdfast.agent.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The status LED ({@code gpio.led.*}): one pin, or a red, green and blue pin of an RGB LED.
 *
 * @param pins one pin, or three (red, green, blue)
 * @param activeHigh whether the pin drives the LED high (LED to ground) or low (LED to 3.3 V, or a
 *     common-anode RGB LED)
 * @param expiryWarning a certificate or API key that expires within this shows "expiring"
 * @param faultHold how long the vault-error pattern shows before the agent exits on a vault error
 */
public record StatusLedSettings(List<GpioSettings.PinUse> pins, boolean activeHigh, Duration expiryWarning,
    Duration faultHold) {
  public StatusLedSettings {
    pins = List.copyOf(pins);
    if (pins.size() != 1 && pins.size() != 3) {
      throw new IllegalArgumentException("gpio.led needs gpio.led.pin, or all of gpio.led.red, gpio.led.green and "
          + "gpio.led.blue");
    }
    Checks.positive(expiryWarning, "gpio.led.expiry-warning");
    Objects.requireNonNull(faultHold, "gpio.led.fault-hold");
    if (faultHold.isNegative() || faultHold.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("gpio.led.fault-hold must be from 0s to 5m, got " + faultHold);
    }
  }

  public boolean rgb() {
    return pins.size() == 3;
  }
}
