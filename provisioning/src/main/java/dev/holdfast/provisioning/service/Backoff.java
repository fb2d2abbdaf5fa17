package dev.holdfast.provisioning.service;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from {@code initial}, capped at {@code max}, with "equal jitter"
 * (a random point in the upper half of the step), so a fleet of clients cut off together does not
 * come back in lockstep, and no delay is ever near zero (no tight reconnect loop).
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  public static Backoff defaults() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2));
  }

  /** The delay before attempt {@code failures + 1}, after {@code failures} failed attempts in a row. */
  public Duration delay(int failures, RandomGenerator random) {
    long cap = max.toMillis();
    long step = initial.toMillis();
    for (int i = 0; i < failures && step < cap; i++) {
      step = Math.min(cap, step * 2);
    }
    long half = step / 2;
    return Duration.ofMillis(half + random.nextLong(step - half + 1));
  }
}
