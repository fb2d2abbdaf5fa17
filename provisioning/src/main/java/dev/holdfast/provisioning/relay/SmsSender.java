package dev.holdfast.provisioning.relay;

import dev.holdfast.protocol.messages.RelayMessage;
import java.time.Duration;

/** Hands a message to an SMS provider. Implementations: {@link TwilioSender}, {@link WebhookSender}. */
public interface SmsSender {
  /** What the provider did with a message. */
  sealed interface Outcome permits Accepted, Rejected, Unavailable {}

  /** Taken by the provider; {@code upstreamId} is its message id. */
  record Accepted(String upstreamId) implements Outcome {}

  /** Refused for good (bad number, blocked content): retrying the same request cannot help. */
  record Rejected(String code) implements Outcome {}

  /**
   * Not taken, as far as we know: retry later.
   *
   * @param badGateway true when the provider answered with an error (502), false when it could not
   *     be reached, asked for time, or refused our credentials (503)
   */
  record Unavailable(boolean badGateway, Duration retryAfter, String detail) implements Outcome {}

  Outcome send(RelayMessage message);
}
