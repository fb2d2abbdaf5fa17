package dev.holdfast.agent.link;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential with full jitter, capped. The n-th consecutive failure waits a
 * uniformly random time in [0, min(cap, base x 2^n)], so a fleet that lost its broker at the same
 * moment does not come back at the same moment.
 */
public record Backoff(Duration base, Duration cap) {
  public Backoff {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap, got " + base + " and " + cap);
    }
  }

  /** The ceiling for the {@code failures}-th consecutive failure (0 for the first). */
  public Duration ceiling(int failures) {
    long baseMs = base.toMillis();
    long capMs = cap.toMillis();
    int shift = Math.max(0, Math.min(failures, 62));
    long ceiling = baseMs > (capMs >> shift) ? capMs : baseMs << shift;
    return Duration.ofMillis(Math.min(ceiling, capMs));
  }

  /** The delay before the next attempt after {@code failures} consecutive failures. */
  public Duration delay(int failures, RandomGenerator random) {
    long ceiling = ceiling(failures).toMillis();
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }
}
