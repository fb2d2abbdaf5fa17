package dev.holdfast.provisioning.apikeys;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Each key's last use and request count, kept in memory as the relay accepts requests and written
 * to the registry in one transaction per flush: every {@link #FLUSH_INTERVAL} and when the service
 * stops. A request is never a durable commit of its own; a crash loses at most one interval of
 * counts, never a key, a state or a revocation.
 */
public final class KeyUsage {
  /** How often the counts reach the registry while the service runs. */
  public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(60);

  private final Registry registry;
  private final Clock clock;
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

  KeyUsage(Registry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Uses of one key not yet in the registry. */
  private record Pending(Instant last, long requests) {
    Pending plus(Pending other) {
      return new Pending(other.last.isAfter(last) ? other.last : last, requests + other.requests);
    }
  }

  /** Counts one request with key {@code keyId}, now; memory only. */
  public void record(String keyId) {
    pending.merge(keyId, new Pending(clock.instant(), 1), Pending::plus);
  }

  /**
   * Writes what was counted since the last flush in one transaction; a key deleted meanwhile is
   * skipped. When the write fails the counts stay in memory for the next flush.
   *
   * @return how many keys were written
   */
  public int flush() throws RegistryException {
    Map<String, Pending> batch = new HashMap<>();
    for (String id : pending.keySet()) {
      Optional.ofNullable(pending.remove(id)).ifPresent(p -> batch.put(id, p));
    }
    if (batch.isEmpty()) {
      return 0;
    }
    try {
      return registry.write(tx -> {
        int written = 0;
        for (Map.Entry<String, Pending> e : batch.entrySet()) {
          Optional<ApiKeyRecord> key = tx.apiKeys().find(e.getKey());
          if (key.isPresent()) {
            tx.apiKeys().put(key.get().usedAt(e.getValue().last(), e.getValue().requests()));
            written++;
          }
        }
        return written;
      });
    } catch (RegistryException | RuntimeException e) {
      batch.forEach((id, p) -> pending.merge(id, p, Pending::plus));
      throw e;
    }
  }

  /** Flushes every {@code interval} on {@code scheduler}; a failed flush is logged and retried next time. */
  public void schedule(ScheduledExecutorService scheduler, Duration interval) {
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::flushLogged, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** {@link #flush}, logging a failure instead of throwing it (for timers and shutdown). */
  public void flushLogged() {
    try {
      flush();
    } catch (RegistryException | RuntimeException e) {
      Logger.error("writing API key use to the registry failed, kept for the next attempt: {}", e.getMessage());
    }
  }

  /**
   * Whether {@code key} is active and has not been used within {@code window} before {@code now};
   * a key never used counts from its creation. Used exactly {@code window} ago counts as unused.
   */
  public static boolean unusedFor(ApiKeyRecord key, Instant now, Duration window) {
    Instant since = key.lastUsedAt().orElse(key.createdAt());
    return key.state() == ApiKeyRecord.State.ACTIVE && ApiKeyService.checkState(key, now).valid()
        && !since.isAfter(now.minus(window));
  }
}
