package dev.holdfast.agent.outbox;

import dev.holdfast.agent.config.OutboxSettings;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * How the outbox keeps its log: the size of a segment file, how much batch plaintext it keeps in
 * memory for reading, the single thread every commit runs on, and the ticker that times lingering.
 *
 * @param ownsCommitter whether {@link Outbox#close} shuts the committer down
 */
public record OutboxStorage(int segmentBytes, long cacheBytes, ScheduledExecutorService committer,
    LongSupplier ticker, boolean ownsCommitter) {

  public static final int MIN_SEGMENT = 64 * 1024;
  public static final int MAX_SEGMENT = 1024 * 1024;
  public static final long CACHE_BYTES = 1024 * 1024;

  /**
   * A segment a 64th of {@code outbox.max-bytes}, between 64 KiB and 1 MiB: small outboxes keep
   * small files, and a full drain leaves at most two of them (the active one and the spare).
   */
  public static int segmentBytesFor(OutboxSettings settings) {
    long s = Math.max(MIN_SEGMENT, Math.min(MAX_SEGMENT, settings.maxBytes() / 64));
    return (int) (s / 4096 * 4096);
  }
}
