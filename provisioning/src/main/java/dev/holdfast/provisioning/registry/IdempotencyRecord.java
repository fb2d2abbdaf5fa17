package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Instant;

/**
 * The relay's memory of one {@code Idempotency-Key} of one API key.
 *
 * @param fingerprint SHA-256 of the request's canonical content, to tell "same body" from "different"
 * @param owner the relay process that is sending; a {@link Phase#SENDING} record whose owner is gone
 *     was interrupted by a crash
 * @param status and {@code responseBody}: the first response, replayed for retries (when {@link Phase#SENT})
 */
public record IdempotencyRecord(
    String keyId,
    String idempotencyKey,
    byte[] fingerprint,
    Phase phase,
    String owner,
    Instant createdAt,
    int status,
    String responseBody) {

  /** What a record is found by: the API key's id and the request's {@code Idempotency-Key}. */
  public record Key(String keyId, String idempotencyKey) {}

  /** Recorded before and after the upstream call. */
  public enum Phase {
    SENDING,
    SENT
  }

  public IdempotencyRecord {
    Checks.notBlank(keyId, "idempotency.key-id");
    Checks.notBlank(idempotencyKey, "idempotency.key");
    fingerprint = Checks.notNull(fingerprint, "idempotency.fingerprint").clone();
    Checks.notNull(phase, "idempotency.phase");
    Checks.notNull(owner, "idempotency.owner");
    Checks.notNull(createdAt, "idempotency.created-at");
    Checks.notNull(responseBody, "idempotency.response-body");
  }

  @Override
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  /** Whether this record is past the replay {@code window} at {@code now}: a request with its key is new again. */
  public boolean expiredAt(Instant now, java.time.Duration window) {
    return !createdAt.plus(window).isAfter(now);
  }

  public Key key() {
    return new Key(keyId, idempotencyKey);
  }

  public IdempotencyRecord completed(int newStatus, String body) {
    return new IdempotencyRecord(keyId, idempotencyKey, fingerprint, Phase.SENT, owner, createdAt, newStatus, body);
  }

  @Override
  public String toString() {
    return "IdempotencyRecord[key " + keyId + " " + phase + " " + status + "]";
  }
}
