package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * A one-time enrollment token as the service keeps it: an HMAC of the token (never the token)
 * and the profile it was made for, copied at creation so later profile edits don't change it.
 *
 * @param labels the profile's labels, which the device enrolled with this token starts with
 */
public record TokenRecord(
    String id,
    byte[] hmac,
    String profile,
    Duration certLifetime,
    Duration keyLifetime,
    Set<String> scopes,
    Instant createdAt,
    Instant expiresAt,
    State state,
    Optional<Instant> redeemedAt,
    Optional<String> redeemedBy,
    SortedSet<String> labels) {

  /** Lifecycle of a token. */
  public enum State {
    UNUSED,
    REDEEMED,
    REVOKED
  }

  public TokenRecord {
    Checks.notBlank(id, "token.id");
    hmac = Checks.notNull(hmac, "token.hmac").clone();
    Checks.notBlank(profile, "token.profile");
    Checks.positive(certLifetime, "token.cert-lifetime");
    Checks.positive(keyLifetime, "token.key-lifetime");
    scopes = Set.copyOf(Checks.notNull(scopes, "token.scopes"));
    Checks.notNull(createdAt, "token.created-at");
    Checks.notNull(expiresAt, "token.expires-at");
    Checks.notNull(state, "token.state");
    Checks.notNull(redeemedAt, "token.redeemed-at");
    Checks.notNull(redeemedBy, "token.redeemed-by");
    labels = Labels.of(Checks.notNull(labels, "token.labels"));
  }

  @Override
  public byte[] hmac() {
    return hmac.clone();
  }

  public TokenRecord redeemed(Instant at, String deviceId) {
    return new TokenRecord(id, hmac, profile, certLifetime, keyLifetime, scopes, createdAt, expiresAt,
        State.REDEEMED, Optional.of(at), Optional.of(deviceId), labels);
  }

  public TokenRecord revoked() {
    return new TokenRecord(id, hmac, profile, certLifetime, keyLifetime, scopes, createdAt, expiresAt,
        State.REVOKED, redeemedAt, redeemedBy, labels);
  }

  @Override
  public String toString() {
    return "TokenRecord[" + id + " profile=" + profile + " " + state + " expires=" + expiresAt + "]";
  }
}
