package dev.holdfast.agent.config;

import java.time.Duration;

/** The outbox's limits and retry settings ({@code outbox.*}), validated. */
public record OutboxSettings(
    int maxRecords,
    long maxBytes,
    long maxBodyBytes,
    WhenFull whenFull,
    Duration defaultTtl,
    int concurrency,
    Duration retryBase,
    Duration retryCap) {

  /** What to do with a new record when the outbox is full. */
  public enum WhenFull {
    REFUSE,
    DROP_OLDEST
  }

  public OutboxSettings {
    Checks.positive(maxBytes, "outbox.max-bytes");
    Checks.positive(maxBodyBytes, "outbox.max-body-bytes");
    Checks.atMost(maxBodyBytes, maxBytes, "outbox.max-body-bytes", "outbox.max-bytes");
    Checks.positive(defaultTtl, "outbox.default-ttl");
    Checks.positive(retryBase, "outbox.retry.base");
    Checks.atMost(retryBase.toMillis(), retryCap.toMillis(), "outbox.retry.base", "outbox.retry.cap");
  }
}
