package dev.holdfast.provisioning.relay;

import dev.holdfast.protocol.crypto.Aead;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.RelayMessage;
import dev.holdfast.provisioning.apikeys.Peppers;
import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.vault.Disk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.tinylog.Logger;

/**
 * The relay's idempotency records, in a log of their own ({@link IdempotencyLog}, in {@link #DIR}
 * beside the registry) so they survive a restart. A request with a key first {@link #begin}s
 * (recorded as SENDING before the upstream call), then {@link #complete}s (SENT, with the response
 * to replay) or is {@link #release}d when the provider did not take it, so that a retry sends again.
 *
 * <p>Concurrent requests share appends: each change goes through one {@link GroupCommit}. {@link
 * #complete} and {@link #release} return once the append carrying their change is durable, so SENT is
 * on disk before the answer. A {@link #begin} that proceeds returns as soon as its SENDING record is
 * applied, while its append is under way (it is durable no later than the SENT that follows it): a
 * concurrent request with the same key already sees it, and a durable SENDING would not change what
 * a crash leaves (below), so each request waits for one append, not two. Any other decision waits for
 * the append, so nothing is replayed that is not on disk. {@link #start} must run before the first
 * request, {@link #close} after the last.
 *
 * <p>The duplicate window: if the relay dies after the provider took the message but before SENT
 * is recorded, the record stays SENDING under the dead process's owner id (or was not yet on disk);
 * the next retry takes it over (or finds nothing) and sends again. Only that window can duplicate an
 * SMS.
 */
public final class IdempotencyStore implements AutoCloseable {
  /** The log's directory in the provisioning data directory. */
  public static final String DIR = "relay-idempotency";
  /** The registry secret the log's batches are sealed under. */
  static final String DATA_KEY = "relay.idempotency-log-key";

  private final IdempotencyLog log;
  private final Clock clock;
  private final Duration window;
  private final String owner;
  /** Package-private for tests, which watch what it has queued. */
  final GroupCommit group;
  /**
   * The SENDING records this process has begun and not yet completed or released, so that {@link
   * #complete} writes SENT without reading the record back inside the shared commit.
   */
  private final ConcurrentHashMap<IdempotencyRecord.Key, IdempotencyRecord> sending = new ConcurrentHashMap<>();

  /** What to do with a request. */
  public sealed interface Decision permits Proceed, Replay, InFlight, Mismatch {}

  /** First time (or after expiry or a crash): send it. */
  public record Proceed(boolean tookOverFromCrash) implements Decision {}

  /** Seen and answered: replay this. */
  public record Replay(int status, String body) implements Decision {}

  /** Same key, still being sent: 409. */
  public record InFlight() implements Decision {}

  /** Same key, different content: 422. */
  public record Mismatch() implements Decision {}

  /**
   * @param target where changes are committed: {@code log} itself, or a test's wrapper around it
   * @param owner this relay process's random id
   */
  IdempotencyStore(IdempotencyLog log, IdempotencyTarget target, Clock clock, Duration window, String owner) {
    this.log = log;
    this.clock = clock;
    this.window = window;
    this.owner = owner;
    this.group = new GroupCommit(target);
  }

  /**
   * Opens the log in {@code dir} (its data key sealed in {@code registry}, made on first use) and
   * moves into it the records an earlier version kept in the registry.
   *
   * @param owner this relay process's random id
   */
  public static IdempotencyStore open(Registry registry, Path dir, Clock clock, Duration window, String owner,
      SecureRandom random) throws RegistryException {
    return open(Disk.REAL, registry, dir, clock, window, owner, random);
  }

  static IdempotencyStore open(Disk disk, Registry registry, Path dir, Clock clock, Duration window, String owner,
      SecureRandom random) throws RegistryException {
    Secret key = Peppers.loadOrCreate(registry, DATA_KEY, random);
    IdempotencyLog log = IdempotencyLog.open(disk, dir, new Aead(key, random), window, clock.instant());
    try {
      moveFromRegistry(registry, log, clock.instant(), window);
    } catch (RegistryException | RuntimeException e) {
      log.close();
      throw e;
    }
    return new IdempotencyStore(log, log, clock, window, owner);
  }

  /**
   * Records that an earlier version kept in the registry: into the log first (durable, and only
   * where the log has none for the key, so a repeat after a crash overwrites nothing newer), then
   * out of the registry.
   */
  private static void moveFromRegistry(Registry registry, IdempotencyLog log, Instant now, Duration window)
      throws RegistryException {
    List<IdempotencyRecord> old = registry.read(tx -> tx.idempotency().all());
    if (old.isEmpty()) {
      return;
    }
    log.write(records -> {
      for (IdempotencyRecord r : old) {
        if (!r.expiredAt(now, window)) {
          records.putIfAbsent(r);
        }
      }
      return null;
    });
    registry.write(tx -> {
      for (IdempotencyRecord r : old) {
        tx.idempotency().remove(r.key());
      }
      return null;
    });
    Logger.info("moved {} idempotency record(s) from the registry into the relay's idempotency log", old.size());
  }

  /** Starts the thread that commits begin, complete and release; once, before the first request. */
  public void start(ThreadFactory threads) {
    group.start(threads);
  }

  /** Durable appends made for begin, complete and release so far; a shared one counts once. */
  public long commits() {
    return log.appends();
  }

  /** Commits what callers handed in before, then refuses more and closes the log; after the server has stopped. */
  @Override
  public void close() {
    group.close();
    log.close();
  }

  /** SHA-256 over the canonical content, so "same body" ignores whitespace and field order. */
  static byte[] fingerprint(RelayMessage m) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(m.to().getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(m.body().getBytes(StandardCharsets.UTF_8));
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Decision begin(String keyId, String idempotencyKey, byte[] fingerprint) throws RegistryException {
    Instant now = clock.instant();
    IdempotencyRecord record = new IdempotencyRecord(keyId, idempotencyKey, fingerprint,
        IdempotencyRecord.Phase.SENDING, owner, now, 0, "");
    Decision d = group.submit(records -> {
      // one look-up of the key: a new key (the usual case) is put at once
      Optional<IdempotencyRecord> there = records.putIfAbsent(record);
      if (there.isEmpty()) {
        return new Proceed(false);
      }
      IdempotencyRecord r = there.get();
      if (r.expiredAt(now, window)) { // this is a new request
        records.put(record);
        return new Proceed(false);
      }
      if (!MessageDigest.isEqual(r.fingerprint(), fingerprint)) {
        return new Mismatch();
      }
      if (r.phase() == IdempotencyRecord.Phase.SENT) {
        return new Replay(r.status(), r.responseBody());
      }
      if (r.owner().equals(owner)) {
        return new InFlight();
      }
      records.put(record);
      return new Proceed(true);
    }, decision -> decision instanceof Proceed);
    if (d instanceof Proceed) {
      sending.put(record.key(), record);
    }
    return d;
  }

  /**
   * Records the answer to replay. The SENDING record this process wrote in {@link #begin} is
   * completed as it is, without a read; only a record begun elsewhere is read back first.
   */
  public void complete(String keyId, String idempotencyKey, int status, String body) throws RegistryException {
    IdempotencyRecord.Key key = new IdempotencyRecord.Key(keyId, idempotencyKey);
    IdempotencyRecord begun = sending.remove(key);
    group.submit(records -> {
      Optional<IdempotencyRecord> r = begun != null ? Optional.of(begun) : records.find(key);
      if (r.isPresent()) {
        records.put(r.get().completed(status, body));
      }
      return null;
    });
  }

  public void release(String keyId, String idempotencyKey) throws RegistryException {
    sending.remove(new IdempotencyRecord.Key(keyId, idempotencyKey));
    group.submit(records -> {
      records.remove(new IdempotencyRecord.Key(keyId, idempotencyKey));
      return null;
    });
  }

  /** Forgets records older than the window; returns how many. */
  public int purgeExpired() {
    int purged = log.dropExpired(clock.instant());
    if (purged > 0) {
      Logger.info("purged {} expired idempotency record(s)", purged);
    }
    return purged;
  }
}
