package dev.holdfast.agent.gpio;

import dev.holdfast.agent.config.GpioSettings;
import java.util.function.Consumer;

/**
 * The board's pins: the seam between the agent and the GPIO driver. Opening a pin claims it for
 * this process until {@link #close()}.
 */
public interface Pins extends AutoCloseable {
  /** The board, and the GPIOs on its header. */
  Board board();

  /**
   * Claims {@code gpio} as an input with {@code pull}; {@code use} (such as {@code
   * gpio.input.door.pin = 17}) goes into error messages.
   */
  InputPin input(GpioSettings.PinUse use, GpioSettings.Pull pull) throws GpioException;

  /**
   * Claims {@code gpio} as an output at {@code restHigh}, the level it is also left at when the
   * pins are closed (an LED's "off").
   */
  OutputPin output(GpioSettings.PinUse use, boolean restHigh) throws GpioException;

  /** Releases every pin. */
  @Override
  void close();

  /** An input pin. */
  interface InputPin {
    boolean high();

    /**
     * Calls {@code listener} with the new level on every change the driver reports (bounces
     * included), on the driver's thread.
     */
    void onChange(Consumer<Boolean> listener);
  }

  /** An output pin. */
  interface OutputPin {
    void set(boolean high);
  }
}
