package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What the service keeps of an API key: its public id, an HMAC of the full key (never the key),
 * scopes, lifetime, state and use.
 *
 * @param graceUntil for a key in {@link State#GRACE}: when it stops working
 * @param lastUsedAt when the relay last accepted a request with this key, as of the last flush of
 *     the counts kept in memory ({@code KeyUsage})
 * @param requests how many requests the relay accepted with this key, as of that flush
 */
public record ApiKeyRecord(
    String id,
    String deviceId,
    byte[] hmac,
    Set<String> scopes,
    Instant createdAt,
    Instant expiresAt,
    State state,
    Optional<Instant> graceUntil,
    Optional<Instant> lastUsedAt,
    long requests) {

  /** Lifecycle of a key. */
  public enum State {
    /** Works until it expires. */
    ACTIVE,
    /** Replaced by a newer key; works until {@code graceUntil} so a rotation never cuts a device off. */
    GRACE,
    /** Never works again. */
    REVOKED
  }

  public ApiKeyRecord {
    Checks.notBlank(id, "api-key.id");
    Checks.notBlank(deviceId, "api-key.device");
    hmac = Checks.notNull(hmac, "api-key.hmac").clone();
    scopes = Set.copyOf(Checks.notNull(scopes, "api-key.scopes"));
    Checks.notNull(createdAt, "api-key.created-at");
    Checks.notNull(expiresAt, "api-key.expires-at");
    Checks.notNull(state, "api-key.state");
    Checks.notNull(graceUntil, "api-key.grace-until");
    Checks.notNull(lastUsedAt, "api-key.last-used-at");
    if (requests < 0) {
      throw new IllegalArgumentException("api-key.requests must be 0 or more, got " + requests);
    }
  }

  /** A key with no requests counted yet. */
  public ApiKeyRecord(String id, String deviceId, byte[] hmac, Set<String> scopes, Instant createdAt,
      Instant expiresAt, State state, Optional<Instant> graceUntil, Optional<Instant> lastUsedAt) {
    this(id, deviceId, hmac, scopes, createdAt, expiresAt, state, graceUntil, lastUsedAt, 0);
  }

  @Override
  public byte[] hmac() {
    return hmac.clone();
  }

  public ApiKeyRecord withState(State newState, Optional<Instant> newGraceUntil) {
    return new ApiKeyRecord(id, deviceId, hmac, scopes, createdAt, expiresAt, newState, newGraceUntil, lastUsedAt,
        requests);
  }

  /** This key after {@code more} requests, the last of them at {@code at} (the later of it and the stored one). */
  public ApiKeyRecord usedAt(Instant at, long more) {
    Instant last = lastUsedAt.filter(l -> l.isAfter(at)).orElse(at);
    return new ApiKeyRecord(id, deviceId, hmac, scopes, createdAt, expiresAt, state, graceUntil, Optional.of(last),
        requests + more);
  }

  /** No HMAC in here: logs name a key by its id only. */
  @Override
  public String toString() {
    return "ApiKeyRecord[" + id + " device=" + deviceId + " " + state + " scopes=" + scopes + " expires=" + expiresAt
        + " requests=" + requests + "]";
  }
}
