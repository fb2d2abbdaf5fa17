package dev.holdfast.agent.config;

import java.time.Duration;

/**
 * When {@code holdfast-agent status} calls the agent unhealthy ({@code health.*}).
 *
 * @param linkDownAfter {@code health.link-down-after}: the MQTT link may be down this long
 * @param maxQueued {@code health.max-queued}, resolved against {@code outbox.max-records}: at or
 *     above this many records (queued and dead) the outbox is "filling up"
 */
public record HealthSettings(Duration linkDownAfter, int maxQueued) {
  public HealthSettings {
    Checks.positive(linkDownAfter, "health.link-down-after");
    Checks.positive(maxQueued, "health.max-queued");
  }

  /** {@code health.max-queued} as written: a count, or a percentage of {@code outbox.max-records}. */
  public record Share(int value, boolean percent) {
    static final String ALLOWED = "a number of records from 1, or a percentage of outbox.max-records such as 80%";

    static Share parse(String text) {
      boolean percent = text.endsWith("%");
      try {
        int n = Values.positiveInt(percent ? text.substring(0, text.length() - 1) : text, percent ? 100 : 10_000_000);
        return new Share(n, percent);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ALLOWED, e);
      }
    }

    int of(int maxRecords) {
      return percent ? Math.max(1, (int) ((long) maxRecords * value / 100)) : value;
    }
  }
}
