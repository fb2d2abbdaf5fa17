package dev.holdfast.provisioning.apikeys;

import dev.holdfast.common.Result;
import dev.holdfast.protocol.crypto.Hkdf;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import dev.holdfast.provisioning.support.ChecksummedToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import org.tinylog.Logger;

/**
 * Creates, verifies and revokes API keys. Only {@code HMAC-SHA256(pepper, key)} is stored; the
 * pepper is a sealed registry secret, so a copy of the registry alone cannot test guesses.
 *
 * <p>Verification takes the same path for every well-formed key: the HMAC is computed and compared
 * over its full length with {@link MessageDigest#isEqual} against the stored HMAC, or against a
 * random stand-in when the id is unknown, so neither the position of the first wrong character nor
 * the existence of an id shows in the timing of the comparison.
 */
public final class ApiKeyService {
  static final String PEPPER = "apikeys.pepper";

  private final Registry registry;
  private final Secret pepper;
  private final Clock clock;
  private final SecureRandom random;
  private final byte[] standIn;
  private final BiPredicate<byte[], byte[]> equality;
  private final KeyUsage usage;
  /** Package-private for tests, which check what it holds. */
  final KeyCache cache;

  ApiKeyService(Registry registry, Secret pepper, Clock clock, SecureRandom random,
      BiPredicate<byte[], byte[]> equality) {
    this.registry = registry;
    this.pepper = pepper;
    this.clock = clock;
    this.random = random;
    this.standIn = new byte[32];
    random.nextBytes(standIn);
    this.equality = equality;
    this.usage = new KeyUsage(registry, clock);
    this.cache = new KeyCache(registry);
  }

  /** Opens the service, creating the pepper on first use. */
  public static ApiKeyService open(Registry registry, Clock clock, SecureRandom random) throws RegistryException {
    return open(registry, clock, random, MessageDigest::isEqual);
  }

  static ApiKeyService open(Registry registry, Clock clock, SecureRandom random, BiPredicate<byte[], byte[]> equality)
      throws RegistryException {
    return new ApiKeyService(registry, Peppers.loadOrCreate(registry, PEPPER, random), clock, random, equality);
  }

  /** A new key, created for {@code deviceId}: the plaintext is in the result and nowhere else. */
  public record Created(ApiKey key, ApiKeyRecord record) {}

  /** Creates a key in a transaction of its own. */
  public Result<Created, KeyRefusal> create(String deviceId, Set<String> scopes, Duration lifetime, String actor)
      throws RegistryException {
    Result<Created, KeyRefusal> created = registry.write(tx -> create(tx, deviceId, scopes, lifetime, actor));
    created.ok().ifPresent(c -> Logger.info("created API key {} for device {}", c.key().id(), deviceId));
    return created;
  }

  /**
   * Creates a key inside the caller's transaction (enrollment makes the device, its certificate and
   * its key in one), for a device that is active in that transaction; a refusal writes nothing.
   */
  public Result<Created, KeyRefusal> create(RegistryTx tx, String deviceId, Set<String> scopes, Duration lifetime,
      String actor) throws RegistryException {
    Result<Set<String>, KeyRefusal> checked = check(scopes, lifetime);
    if (checked instanceof Result.Refused<Set<String>, KeyRefusal> r) {
      return r.cast();
    }
    Optional<Device> device = tx.devices().find(deviceId);
    if (device.isEmpty() || device.get().state() != Device.State.ACTIVE) {
      return Result.refused(KeyRefusal.UNKNOWN_DEVICE, "no active device " + deviceId + " (see 'devices list')");
    }
    Instant now = clock.instant();
    String text;
    do {
      text = ApiKey.FORMAT.generate(random);
    } while (tx.apiKeys().find(ApiKey.FORMAT.idOf(text)).isPresent());
    ApiKey key = new ApiKey(text);
    Set<String> granted = checked.ok().orElseThrow();
    ApiKeyRecord record = new ApiKeyRecord(key.id(), deviceId, hmac(text), granted, now, now.plus(lifetime),
        ApiKeyRecord.State.ACTIVE, Optional.empty(), Optional.empty());
    tx.apiKeys().put(record);
    tx.audit().append(AuditEvent.of(now, actor, "key.created", deviceId, "key " + key.id() + " scopes " + granted));
    return Result.ok(new Created(key, record));
  }

  /** Whether a key with these scopes and this lifetime may be made; the scopes as granted. */
  public static Result<Set<String>, KeyRefusal> check(Set<String> scopes, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      return Result.refused(KeyRefusal.LIFETIME, "key lifetime must be positive, got " + lifetime);
    }
    try {
      return Result.ok(Scopes.check(scopes));
    } catch (IllegalArgumentException e) {
      return Result.refused(KeyRefusal.SCOPE, e.getMessage());
    }
  }

  /** Checks a presented key; never throws for a bad key, only for a registry failure. */
  public Verification verify(String presented) throws RegistryException {
    Optional<ChecksummedToken.Defect> defect = ApiKey.FORMAT.defect(presented);
    if (defect.isPresent()) {
      return Verification.rejected(defect.get() == ChecksummedToken.Defect.MALFORMED
          ? Verification.Reason.MALFORMED : Verification.Reason.BAD_CHECKSUM);
    }
    String id = ApiKey.FORMAT.idOf(presented);
    // The device's state too, in the same read: once a device is revoked none of its keys works,
    // whatever state a key record was left in. Read through the cache: it re-reads after any change.
    Optional<KeyCache.Found> found = cache.find(id);
    Optional<ApiKeyRecord> record = found.map(KeyCache.Found::key);
    byte[] candidate = hmac(presented);
    byte[] expected = record.map(ApiKeyRecord::hmac).orElse(standIn);
    boolean matches = equality.test(candidate, expected);
    Arrays.fill(candidate, (byte) 0);
    if (!matches || record.isEmpty()) {
      return Verification.rejected(Verification.Reason.UNKNOWN);
    }
    return found.get().deviceActive() ? checkState(record.get(), clock.instant())
        : Verification.rejected(Verification.Reason.REVOKED);
  }

  /** The state rules alone: revoked, grace window over, expired. */
  static Verification checkState(ApiKeyRecord key, Instant now) {
    if (key.state() == ApiKeyRecord.State.REVOKED) {
      return Verification.rejected(Verification.Reason.REVOKED);
    }
    if (key.state() == ApiKeyRecord.State.GRACE && !now.isBefore(key.graceUntil().orElse(now))) {
      return Verification.rejected(Verification.Reason.EXPIRED);
    }
    if (!now.isBefore(key.expiresAt())) {
      return Verification.rejected(Verification.Reason.EXPIRED);
    }
    return new Verification(Verification.Reason.VALID, Optional.of(key));
  }

  /** Counts a request accepted with {@code key}, in memory: {@link #usage()} writes it at its next flush. */
  public void touch(ApiKeyRecord key) {
    usage.record(key.id());
  }

  /** The use counted by {@link #touch} and not yet written; whoever serves requests schedules its flushes. */
  public KeyUsage usage() {
    return usage;
  }

  /**
   * Revokes a key now, or with a {@code grace} window puts it in GRACE: it keeps working until
   * then (a rotation hands the device a new key first).
   */
  public Result<ApiKeyRecord, KeyRefusal> revoke(String id, Optional<Duration> grace, String actor)
      throws RegistryException {
    Instant now = clock.instant();
    Result<ApiKeyRecord, KeyRefusal> result = registry.write(tx -> {
      Optional<ApiKeyRecord> key = tx.apiKeys().find(id);
      if (key.isEmpty()) {
        return Result.refused(KeyRefusal.UNKNOWN_KEY, "no API key with id " + id + " (see 'keys list')");
      }
      ApiKeyRecord updated = grace.isPresent()
          ? key.get().withState(ApiKeyRecord.State.GRACE, Optional.of(now.plus(grace.get())))
          : key.get().withState(ApiKeyRecord.State.REVOKED, Optional.empty());
      tx.apiKeys().put(updated);
      tx.audit().append(AuditEvent.of(now, actor, grace.isPresent() ? "key.grace" : "key.revoked",
          key.get().deviceId(), "key " + id + (grace.isPresent() ? " works until " + updated.graceUntil().orElseThrow()
              : "")));
      return Result.ok(updated);
    });
    result.ok().ifPresent(k -> Logger.info("API key {} is now {}", id, k.state()));
    return result;
  }

  /** Keys, oldest first; optionally of one device. */
  public List<ApiKeyRecord> list(Optional<String> deviceId) throws RegistryException {
    return registry.read(tx -> tx.apiKeys().all()).stream()
        .filter(k -> deviceId.isEmpty() || k.deviceId().equals(deviceId.get()))
        .sorted(Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::id))
        .toList();
  }

  /** Active keys not used within {@code window} (never-used keys count from their creation), oldest first. */
  public List<ApiKeyRecord> unusedFor(Duration window, Optional<String> deviceId) throws RegistryException {
    Instant now = clock.instant();
    return list(deviceId).stream().filter(k -> KeyUsage.unusedFor(k, now, window)).toList();
  }

  /** The state a person should see: ACTIVE/GRACE/REVOKED, or EXPIRED when past its time. */
  public static String displayState(ApiKeyRecord key, Instant now) {
    Verification v = checkState(key, now);
    return v.reason() == Verification.Reason.EXPIRED ? "EXPIRED" : key.state().name();
  }

  private byte[] hmac(String text) {
    return Hkdf.hmac(pepper, text.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "ApiKeyService[pepper redacted]";
  }
}
