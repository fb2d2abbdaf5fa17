package dev.holdfast.agent.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniform random time in
 * [0, min(cap, base * 2^n)]; a receiver's Retry-After is a floor.
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
    long capMillis = cap.toMillis();
    long ceiling = capMillis;
    if (attemptsSoFar >= 0 && attemptsSoFar < 62) {
      long factor = 1L << attemptsSoFar;
      if (base.toMillis() <= capMillis / factor) {
        ceiling = base.toMillis() * factor;
      }
    }
    Instant next = now.plusMillis((long) (random.nextDouble() * ceiling));
    if (retryAfter.isPresent() && next.isBefore(now.plus(retryAfter.get()))) {
      next = now.plus(retryAfter.get());
    }
    return next;
  }
}
