package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A one-time enrollment token as the service keeps it: an HMAC of the token (never the token)
 * and the profile it was made for, copied at creation so later profile edits don't change it.
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
    Optional<String> redeemedBy) {

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
  }

  @Override
  public byte[] hmac() {
    return hmac.clone();
  }

  public TokenRecord redeemed(Instant at, String deviceId) {
    return new TokenRecord(id, hmac, profile, certLifetime, keyLifetime, scopes, createdAt, expiresAt,
        State.REDEEMED, Optional.of(at), Optional.of(deviceId));
  }

  public TokenRecord revoked() {
    return new TokenRecord(id, hmac, profile, certLifetime, keyLifetime, scopes, createdAt, expiresAt,
        State.REVOKED, redeemedAt, redeemedBy);
  }

  @Override
  public String toString() {
    return "TokenRecord[" + id + " profile=" + profile + " " + state + " expires=" + expiresAt + "]";
  }
}
