package dev.holdfast.agent.config;

import java.time.Duration;

/** Range checks whose messages name the setting and the limit. */
public final class Checks {
  private Checks() {}

  public static void positive(long value, String setting) {
    if (value <= 0) {
      throw new IllegalArgumentException(setting + " must be more than 0, got " + value);
    }
  }

  public static void positive(Duration value, String setting) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be longer than 0, got " + value);
    }
  }

  public static void atMost(long value, long limit, String setting, String limitSetting) {
    if (value > limit) {
      throw new IllegalArgumentException(setting + " (" + value + ") must not exceed " + limitSetting + " (" + limit + ")");
    }
  }
}
