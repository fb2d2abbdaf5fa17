package dev.holdfast.provisioning.ca;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;

/**
 * A new certificate for an active device's new key, issued while its current one stays valid: the
 * device record names it as pending until the device confirms (rotation).
 */
public record RenewRequest(String deviceId, PublicKey publicKey, Duration lifetime, String actor) {
  public RenewRequest {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(actor, "actor");
  }
}
