package dev.holdfast.agent.config;

import dev.holdfast.common.config.ConfigException;
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

  /**
   * Heap the outbox's in-memory index takes per record, all included, with room to spare
   * (QueueFootprintIT: 100,000 queued records peaked at 17 MiB live, the idle agent's 3.5 MiB with
   * them; about 145 bytes a record).
   */
  public static final long INDEX_BYTES_PER_RECORD = 180;
  /** The share of the JVM's maximum heap the index may take when the outbox is full. */
  static final double INDEX_HEAP_SHARE = 0.6;
  private static final long MIB = 1024 * 1024;

  /**
   * Refuses an {@code outbox.max-records} whose index would not fit the heap: a full outbox would
   * end the agent with an OutOfMemoryError at every start. Names the two ways out.
   */
  public void checkFitsHeap(long maxHeapBytes) throws ConfigException {
    long fits = (long) (maxHeapBytes * INDEX_HEAP_SHARE / INDEX_BYTES_PER_RECORD);
    if (maxRecords > fits) {
      throw new ConfigException("outbox.max-records = " + maxRecords + " needs about "
          + (maxRecords * INDEX_BYTES_PER_RECORD + MIB - 1) / MIB + " MiB of heap for the outbox's index, and this"
          + " JVM's maximum heap (" + maxHeapBytes / MIB + " MiB) has room for about " + fits + " records: lower"
          + " outbox.max-records, or give the agent a larger heap (HOLDFAST_JAVA_OPTS=\"-Xmx<size>\", "
          + "docs/operator-guide.md)");
    }
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
