package dev.holdfast.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * GPIO ({@code gpio.*}, docs/gpio.md): inputs that queue messages and a status LED. Empty by
 * default, and then nothing of Pi4J is loaded at all.
 */
public record GpioSettings(List<GpioInput> inputs, Optional<StatusLedSettings> led) {
  public static final GpioSettings NONE = new GpioSettings(List.of(), Optional.empty());

  public GpioSettings {
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(led, "led");
  }

  /** Whether any pin is configured. */
  public boolean configured() {
    return !inputs.isEmpty() || led.isPresent();
  }

  /** One configured pin and the setting that names it, e.g. {@code gpio.input.door.pin = 17}. */
  public record PinUse(int gpio, String setting) {
    @Override
    public String toString() {
      return setting + " = " + gpio;
    }
  }

  /** Every configured pin, inputs first, in the order they were configured. */
  public List<PinUse> pins() {
    List<PinUse> out = new ArrayList<>();
    inputs.forEach(i -> out.add(new PinUse(i.pin(), GpioInput.key(i.name(), "pin"))));
    led.ifPresent(l -> out.addAll(l.pins()));
    return out;
  }

  public Optional<GpioInput> input(String name) {
    return inputs.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** A pull resistor setting. */
  public enum Pull {
    UP,
    DOWN,
    OFF
  }

  /** Which level change counts. */
  public enum Edge {
    RISING,
    FALLING,
    BOTH;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The largest debounce: longer than any switch bounces, short enough that a press is not lost. */
  public static final Duration MAX_DEBOUNCE = Duration.ofSeconds(10);
  /** The shortest repeat interval: a held panic button must not fill the outbox. */
  public static final Duration MIN_REPEAT = Duration.ofSeconds(1);
}
