package dev.holdfast.provisioning.support;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per API key: {@code burst} requests at once, refilled at {@code perMinute}.
 * In memory: a restart forgives everyone, which is fine for a limit meant to stop runaway loops.
 */
public final class RateLimiter {
  private final Clock clock;
  private final double capacity;
  private final double perMilli;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long lastMillis;

    Bucket(double tokens, long lastMillis) {
      this.tokens = tokens;
      this.lastMillis = lastMillis;
    }
  }

  public RateLimiter(Clock clock, int burst, int perMinute) {
    this.clock = clock;
    this.capacity = burst;
    this.perMilli = perMinute / 60_000.0;
  }

  /** Takes one token for {@code keyId}; when none is left, how long until one is. */
  public Optional<Duration> acquire(String keyId) {
    long now = clock.millis();
    Bucket b = buckets.computeIfAbsent(keyId, k -> new Bucket(capacity, now));
    synchronized (b) {
      long elapsed = Math.max(0, now - b.lastMillis);
      b.tokens = Math.min(capacity, b.tokens + elapsed * perMilli);
      b.lastMillis = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return Optional.empty();
      }
      long waitMillis = (long) Math.ceil((1 - b.tokens) / perMilli);
      return Optional.of(Duration.ofMillis(waitMillis));
    }
  }
}
