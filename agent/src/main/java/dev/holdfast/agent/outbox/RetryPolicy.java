package dev.holdfast.agent.outbox;

import dev.holdfast.common.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed record is tried again: the shared {@link Backoff} (the n-th retry waits a uniform
 * random time in [0, min(cap, base * 2^n)]), with a receiver's Retry-After as a floor.
 *
 * @param base {@code outbox.retry.base}
 * @param cap {@code outbox.retry.cap}
 */
public record RetryPolicy(Duration base, Duration cap) {
  public RetryPolicy {
    if (base == null || base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("outbox.retry.base must be longer than 0, got " + base);
    }
    if (cap == null || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("outbox.retry.cap (" + cap + ") must be at least outbox.retry.base (" + base + ")");
    }
  }

  public Instant nextAttempt(int attemptsSoFar, Optional<Duration> retryAfter, Instant now, RandomGenerator random) {
    Duration wait = new Backoff(base, cap).delay(Math.max(0, attemptsSoFar), random);
    if (retryAfter.isPresent() && wait.compareTo(retryAfter.get()) < 0) {
      wait = retryAfter.get();
    }
    return now.plus(wait);
  }
}
