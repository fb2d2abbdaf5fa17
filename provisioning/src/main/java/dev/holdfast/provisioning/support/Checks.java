package dev.holdfast.provisioning.support;

import dev.holdfast.common.time.Durations;
import java.time.Duration;

/** Validation for records' compact constructors; every message names the setting and the limit. */
public final class Checks {
  private Checks() {}

  public static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return value;
  }

  public static long positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return value;
  }

  public static int inRange(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
    }
    return value;
  }

  public static Duration positive(Duration value, String name) {
    notNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
    return value;
  }

  public static Duration atMost(Duration value, Duration max, String name) {
    positive(value, name);
    if (value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          name + " must be at most " + Durations.format(max) + ", got " + Durations.format(value));
    }
    return value;
  }

  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  public static String notBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required and must not be blank");
    }
    return value;
  }
}
