package dev.holdfast.agent.outbox;

import java.time.Duration;
import java.util.Optional;

/** What one attempt came to; {@code reason} is for people and never contains a secret. */
public sealed interface DeliveryOutcome {
  String reason();

  /** 2xx (or a PUBACK below 0x80): done. */
  record Delivered(String reason) implements DeliveryOutcome {}

  /** 408, 429, 5xx, timeouts, connection errors: try again, not before {@code retryAfter}. */
  record Retry(String reason, Optional<Duration> retryAfter) implements DeliveryOutcome {}

  /** Other 4xx: the receiver will never accept this record; dead-letter it. */
  record Permanent(String reason) implements DeliveryOutcome {}

  /** 401: the credential was refused; hold the channel and ask for rotation. */
  record CredentialsRejected(String reason) implements DeliveryOutcome {}
}
