package dev.holdfast.agent.identity;

import dev.holdfast.vault.VaultException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The identity as {@code status} shows it: ids and dates only, never a key. Enrolled: the device
 * id, the certificate's and the API key's expiry, the key's id and scopes, when it was enrolled.
 * Not enrolled: since when a request has been out, if one is.
 *
 * @param error set when the vault could not be read; nothing else is known then
 */
public record IdentityStatus(boolean enrolled, Optional<String> deviceId, Optional<Instant> certificateNotAfter,
    Optional<String> apiKeyId, Optional<Instant> apiKeyExpiresAt, List<String> scopes, Optional<Instant> enrolledAt,
    Optional<Instant> pendingKeySince, Optional<String> error) {
  public IdentityStatus {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(certificateNotAfter, "certificateNotAfter");
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(apiKeyExpiresAt, "apiKeyExpiresAt");
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(enrolledAt, "enrolledAt");
    Objects.requireNonNull(pendingKeySince, "pendingKeySince");
    Objects.requireNonNull(error, "error");
  }

  /** Reads the vault at each call, so a running agent shows what is stored now. */
  public static Supplier<IdentityStatus> of(IdentityStore store) {
    return () -> {
      try {
        return of(store.current(), store.pendingKey());
      } catch (VaultException e) {
        return new IdentityStatus(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            List.of(), Optional.empty(), Optional.empty(), Optional.of(e.getMessage()));
      }
    };
  }

  static IdentityStatus of(Optional<CredentialSet> current, Optional<PendingKey> pending) {
    current.ifPresent(set -> set.apiKey().destroy());
    return new IdentityStatus(current.isPresent(), current.map(CredentialSet::deviceId),
        current.map(CredentialSet::certificateNotAfter), current.map(CredentialSet::apiKeyId),
        current.map(CredentialSet::apiKeyExpiresAt), current.map(CredentialSet::scopes).orElse(List.of()),
        current.map(CredentialSet::enrolledAt), pending.map(PendingKey::createdAt), Optional.empty());
  }
}
