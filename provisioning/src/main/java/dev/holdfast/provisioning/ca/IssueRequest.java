package dev.holdfast.provisioning.ca;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;

/**
 * A device certificate for {@code publicKey} (already checked by {@link CsrPolicy}), with the device
 * id as subject: a new device is created with {@code profile}; an existing active one gets a new
 * current certificate.
 *
 * @param actor who asks, for the audit log
 */
public record IssueRequest(String deviceId, PublicKey publicKey, String profile, Duration lifetime, String actor) {
  public IssueRequest {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(actor, "actor");
  }
}
