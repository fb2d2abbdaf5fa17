package dev.holdfast.agent.gpio;

import dev.holdfast.agent.gpio.LedPattern.Colour;

/**
 * The pattern of each state (docs/gpio.md has the table). Flash counts are the error codes a
 * technician counts, as on the Pi's own activity LED: 2 credentials rejected, 3 credentials
 * expiring, 4 vault error. Each pattern differs in timing alone, so a one-colour LED tells them
 * apart; an RGB LED adds the colour. Pure.
 */
public final class LedPatterns {
  static final int FLASH = 150;
  static final int PAUSE = 1050;

  private LedPatterns() {}

  public static LedPattern of(LedState state) {
    return switch (state.condition()) {
      case STARTING -> LedPattern.of(Colour.BLUE, 100, 100);
      case ONLINE -> LedPattern.of(Colour.GREEN, 2900, 100);
      case OFFLINE -> {
        int period = offlinePeriod(state.queued());
        yield LedPattern.of(Colour.YELLOW, 100, period - 100);
      }
      case CREDENTIALS_REJECTED -> flashes(Colour.MAGENTA, 2);
      case CREDENTIALS_EXPIRING -> flashes(Colour.MAGENTA, 3);
      case ROTATING -> LedPattern.of(Colour.CYAN, 1000, 1000);
      case VAULT_ERROR -> flashes(Colour.RED, 4);
    };
  }

  /** Offline: one short flash per period, faster as the queue grows (4 s empty down to 0.25 s). */
  static int offlinePeriod(long queued) {
    if (queued == 0) {
      return 4000;
    }
    if (queued < 10) {
      return 2000;
    }
    if (queued < 100) {
      return 1000;
    }
    if (queued < 1000) {
      return 500;
    }
    return 250;
  }

  private static LedPattern flashes(Colour colour, int n) {
    Integer[] steps = new Integer[2 * n];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i == steps.length - 1 ? PAUSE : FLASH;
    }
    return LedPattern.of(colour, steps);
  }
}
