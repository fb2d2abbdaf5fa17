package dev.holdfast.agent.link;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The changing part of the state the link publishes; nothing in it is secret.
 *
 * @param version the agent's version
 * @param certificateNotAfter when the device certificate in use expires
 * @param apiKeyExpires when the device's API key expires
 * @param outboxDepth records queued (dead letters not counted)
 * @param lastDelivery when a record last left the device, on any channel
 */
public record DeviceState(
    String version,
    Optional<Instant> certificateNotAfter,
    Optional<Instant> apiKeyExpires,
    long outboxDepth,
    Optional<Instant> lastDelivery) {
  public DeviceState {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(certificateNotAfter, "certificateNotAfter");
    Objects.requireNonNull(apiKeyExpires, "apiKeyExpires");
    Objects.requireNonNull(lastDelivery, "lastDelivery");
  }
}
