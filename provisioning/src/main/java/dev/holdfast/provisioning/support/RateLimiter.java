package dev.holdfast.provisioning.support;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key (an API key, a source address): {@code burst} requests at once, refilled
 * at {@code perMinute}. In memory: a restart forgives everyone, which is fine for a limit meant to
 * stop runaway loops and guessing. Past {@link #MAX_TRACKED} keys, the buckets that have refilled
 * (the same as a new one) are dropped, so many keys cannot grow the map without bound.
 */
public final class RateLimiter {
  static final int MAX_TRACKED = 10_000;
  private final Clock clock;
  private final double capacity;
  private final double perMilli;
  private final int maxTracked;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long lastMillis;

    Bucket(double tokens, long lastMillis) {
      this.tokens = tokens;
      this.lastMillis = lastMillis;
    }
  }

  private boolean full(Bucket b, long now) {
    synchronized (b) {
      return b.tokens + Math.max(0, now - b.lastMillis) * perMilli >= capacity;
    }
  }

  public RateLimiter(Clock clock, int burst, int perMinute) {
    this(clock, burst, perMinute, MAX_TRACKED);
  }

  RateLimiter(Clock clock, int burst, int perMinute, int maxTracked) {
    this.clock = clock;
    this.capacity = burst;
    this.perMilli = perMinute / 60_000.0;
    this.maxTracked = maxTracked;
  }

  /** Takes one token for {@code keyId}; when none is left, how long until one is. */
  public Optional<Duration> acquire(String keyId) {
    long now = clock.millis();
    if (buckets.size() >= maxTracked) {
      buckets.values().removeIf(b -> full(b, now));
    }
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

  /** How many keys have a bucket. */
  int tracked() {
    return buckets.size();
  }
}
