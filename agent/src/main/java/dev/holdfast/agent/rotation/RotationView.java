package dev.holdfast.agent.rotation;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.vault.VaultException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What {@code status} shows of the credentials and their rotation: ids and dates, never a key. */
public final class RotationView {
  private RotationView() {}

  /** @param nextAutomatic when the running agent will rotate by itself (empty when no agent runs) */
  public static Map<String, Object> of(RotationStore store, Optional<Instant> nextAutomatic, Instant now)
      throws VaultException {
    Map<String, Object> m = new LinkedHashMap<>();
    Optional<CredentialSet> current = store.current();
    current.ifPresent(set -> set.apiKey().destroy());
    m.put("certificate_serial", current.map(c -> c.leaf().getSerialNumber().toString(16)).orElse(null));
    m.put("certificate_not_after", current.map(c -> c.certificateNotAfter().toString()).orElse(null));
    m.put("days_left", current.map(c -> Duration.between(now, c.certificateNotAfter()).toDays()).orElse(null));
    m.put("api_key_id", current.map(CredentialSet::apiKeyId).orElse(null));
    m.put("api_key_expires_at", current.map(c -> c.apiKeyExpiresAt().toString()).orElse(null));
    RotationRecord r = store.record();
    m.put("state", r.step().name());
    m.put("request", r.requestId().orElse(null));
    m.put("last_result", r.lastResult().orElse(null));
    m.put("last_result_at", r.lastResultAt().map(Instant::toString).orElse(null));
    m.put("held_until", r.nextAttempt().filter(now::isBefore).map(Instant::toString).orElse(null));
    m.put("next_automatic", nextAutomatic.map(Instant::toString).orElse(null));
    boolean expired = current.filter(c -> c.certificateExpiredAt(now)).isPresent();
    m.put("certificate_expired", expired);
    m.put("action_needed", expired && r.lastResult().filter(v -> v.contains(Rotator.NEW_TOKEN_NEEDED)).isPresent()
        ? "enroll this device again with a new token ('holdfast-agent enroll --help'): its certificate expired at "
            + current.get().certificateNotAfter() + " and it cannot recover by itself (see the last result)"
        : null);
    return m;
  }
}
