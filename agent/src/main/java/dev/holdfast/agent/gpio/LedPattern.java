package dev.holdfast.agent.gpio;

import java.util.List;

/**
 * A looping pattern: {@code steps} alternate lit and dark, lit first, in milliseconds; on an RGB
 * LED the lit steps show {@code colour}.
 */
public record LedPattern(Colour colour, List<Integer> steps) {
  public LedPattern {
    steps = List.copyOf(steps);
    if (steps.isEmpty() || steps.stream().anyMatch(s -> s <= 0)) {
      throw new IllegalArgumentException("a pattern needs steps longer than 0 ms: " + steps);
    }
  }

  public static LedPattern of(Colour colour, Integer... steps) {
    return new LedPattern(colour, List.of(steps));
  }

  /** Whether step {@code i} is lit. */
  public boolean lit(int i) {
    return i % 2 == 0;
  }

  public int period() {
    return steps.stream().mapToInt(Integer::intValue).sum();
  }

  /** Colours of an RGB LED, as the red, green and blue pins that light them. */
  public enum Colour {
    RED(true, false, false),
    GREEN(false, true, false),
    BLUE(false, false, true),
    YELLOW(true, true, false),
    MAGENTA(true, false, true),
    CYAN(false, true, true);

    private final boolean[] rgb;

    Colour(boolean red, boolean green, boolean blue) {
      this.rgb = new boolean[] {red, green, blue};
    }

    /** Whether pin {@code i} (0 red, 1 green, 2 blue) is lit for this colour. */
    public boolean lights(int i) {
      return rgb[i];
    }
  }
}
