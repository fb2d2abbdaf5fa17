package dev.holdfast.agent.gpio;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the LED tells: the most important condition of the agent, and the queue depth that sets
 * the offline blink rate. Derived from an {@link AgentView} by a pure function.
 */
public record LedState(Condition condition, long queued) {

  /** In order of importance: the first that holds is shown. */
  public enum Condition {
    /** The vault cannot be opened, or its writes fail: nothing can be queued. */
    VAULT_ERROR,
    /** The agent is starting. */
    STARTING,
    /** A credential rotation is under way. */
    ROTATING,
    /** A receiver rejected the API key: a channel is held until rotation. */
    CREDENTIALS_REJECTED,
    /** The certificate or API key expires within the warning time (or has expired). */
    CREDENTIALS_EXPIRING,
    /** Not connected (or, without an MQTT link, deliveries failing): messages wait in the outbox. */
    OFFLINE,
    /** Connected, delivering. */
    ONLINE
  }

  public static LedState of(AgentView view, Instant now, Duration expiryWarning) {
    if (view.phase() == AgentView.Phase.VAULT_ERROR || view.storageFailing()) {
      return new LedState(Condition.VAULT_ERROR, view.queued());
    }
    if (view.phase() == AgentView.Phase.STARTING) {
      return new LedState(Condition.STARTING, 0);
    }
    if (view.rotating()) {
      return new LedState(Condition.ROTATING, view.queued());
    }
    if (view.credentialsRejected()) {
      return new LedState(Condition.CREDENTIALS_REJECTED, view.queued());
    }
    Instant horizon = now.plus(expiryWarning);
    if (before(view.certificateNotAfter(), horizon) || before(view.apiKeyExpires(), horizon)) {
      return new LedState(Condition.CREDENTIALS_EXPIRING, view.queued());
    }
    boolean offline = view.link() == AgentView.Link.DOWN
        || (view.link() == AgentView.Link.NONE && view.queued() > 0 && view.deliveryFailing());
    return new LedState(offline ? Condition.OFFLINE : Condition.ONLINE, view.queued());
  }

  private static boolean before(Optional<Instant> expiry, Instant horizon) {
    return expiry.isPresent() && expiry.get().isBefore(horizon);
  }
}
