package dev.holdfast.common.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The one backoff formula of both programs: exponential with full jitter, capped. After {@code n}
 * consecutive failures the wait is uniformly random in [0, min(cap, base x 2^n)], so clients that
 * failed at the same moment (a fleet that lost its broker, a relay's upstream going down) do not
 * come back at the same moment. The growing ceiling is what keeps a failing client from a tight
 * loop; the randomness is what spreads a fleet (docs/decisions.md).
 *
 * @param base the first ceiling
 * @param cap the largest ceiling
 */
public record Backoff(Duration base, Duration cap) {
  public Backoff {
    if (base == null || cap == null || base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
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

  /** The wait before the next attempt after {@code failures} consecutive failures. */
  public Duration delay(int failures, RandomGenerator random) {
    return Duration.ofMillis(random.nextLong(ceiling(failures).toMillis() + 1));
  }
}
