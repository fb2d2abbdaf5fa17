package dev.holdfast.agent.gpio;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the agent's real state, read from its parts each time the LED looks (nothing in
 * it is a copy kept up to date by hand).
 *
 * @param phase where the agent's life is
 * @param link the MQTT link: connected, down, or none (no broker configured, or not enrolled)
 * @param queued outbox records waiting (dead letters not counted)
 * @param deliveryFailing a channel's last attempt failed after its last delivery
 * @param credentialsRejected a channel is held because a receiver rejected the API key (401)
 * @param certificateNotAfter when the device certificate expires (empty before enrollment)
 * @param apiKeyExpires when the API key expires (empty before enrollment)
 * @param storageFailing the outbox's last vault commit failed
 * @param rotating a credential rotation is under way (set by rotation, docs/design.md "Rotation")
 */
public record AgentView(
    Phase phase,
    Link link,
    long queued,
    boolean deliveryFailing,
    boolean credentialsRejected,
    Optional<Instant> certificateNotAfter,
    Optional<Instant> apiKeyExpires,
    boolean storageFailing,
    boolean rotating) {

  /** Where the agent's life is. */
  public enum Phase {
    /** Opening the vault, loading the outbox, starting the link. */
    STARTING,
    RUNNING,
    /** The vault could not be opened. */
    VAULT_ERROR
  }

  /** The MQTT link as the LED sees it. */
  public enum Link {
    CONNECTED,
    DOWN,
    NONE
  }

  public AgentView {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(certificateNotAfter, "certificateNotAfter");
    Objects.requireNonNull(apiKeyExpires, "apiKeyExpires");
  }

  /** Before anything is open. */
  public static AgentView starting() {
    return new AgentView(Phase.STARTING, Link.NONE, 0, false, false, Optional.empty(), Optional.empty(), false,
        false);
  }

  public static AgentView vaultError() {
    return new AgentView(Phase.VAULT_ERROR, Link.NONE, 0, false, false, Optional.empty(), Optional.empty(), false,
        false);
  }
}
