package dev.holdfast.provisioning.ca;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A device certificate for {@code publicKey} (already checked by {@link CsrPolicy}), with the device
 * id as subject: a new device is created with {@code profile} and {@code labels}; an existing active
 * one gets a new current certificate (and keeps its labels).
 *
 * @param actor who asks, for the audit log
 * @param labels the new device's labels (its token's profile's)
 */
public record IssueRequest(String deviceId, PublicKey publicKey, String profile, Duration lifetime, String actor,
    Set<String> labels) {
  /** A request for a device without labels. */
  public IssueRequest(String deviceId, PublicKey publicKey, String profile, Duration lifetime, String actor) {
    this(deviceId, publicKey, profile, lifetime, actor, Set.of());
  }

  public IssueRequest {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(actor, "actor");
    labels = Set.copyOf(labels);
  }
}
