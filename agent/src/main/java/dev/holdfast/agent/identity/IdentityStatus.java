package dev.holdfast.agent.identity;

import dev.holdfast.vault.VaultException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The identity as {@code status} shows it: ids and dates only, never a key. {@code
 * {"enrolled":true,"device_id":..,"certificate_not_after":..,"api_key_id":..,"api_key_expires_at":..,
 * "scopes":[..],"enrolled_at":..}}, or {@code {"enrolled":false}} plus {@code pending_key_since}
 * while a request is out.
 */
public final class IdentityStatus {
  private IdentityStatus() {}

  /** Reads the vault at each call, so a running agent shows what is stored now. */
  public static Supplier<Map<String, Object>> of(IdentityStore store) {
    return () -> {
      try {
        return summary(store.current(), store.pendingKey());
      } catch (VaultException e) {
        return Map.of("enrolled", false, "error", e.getMessage());
      }
    };
  }

  static Map<String, Object> summary(Optional<CredentialSet> current, Optional<PendingKey> pending) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("enrolled", current.isPresent());
    current.ifPresent(set -> {
      out.put("device_id", set.deviceId());
      out.put("certificate_not_after", set.certificateNotAfter().toString());
      out.put("api_key_id", set.apiKeyId());
      out.put("api_key_expires_at", set.apiKeyExpiresAt().toString());
      out.put("scopes", set.scopes());
      out.put("enrolled_at", set.enrolledAt().toString());
      set.apiKey().destroy();
    });
    pending.ifPresent(key -> out.put("pending_key_since", key.createdAt().toString()));
    return out;
  }
}
