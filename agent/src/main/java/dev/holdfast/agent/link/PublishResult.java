package dev.holdfast.agent.link;

/** What one QoS 1 publication came to; reasons never contain the payload. */
public sealed interface PublishResult {
  /** The broker answered with a PUBACK; {@code reasonCode} >= 0x80 means it refused the message. */
  record Acked(int reasonCode) implements PublishResult {}

  /** There was no connection to publish on (connecting, waiting to reconnect, stopped). */
  record NotConnected(String state) implements PublishResult {}

  /** No PUBACK within the timeout; the message may still arrive (the client resends it). */
  record TimedOut() implements PublishResult {}

  /** The client failed the publication (connection lost meanwhile, too many in flight, ...). */
  record Failed(String reason) implements PublishResult {}
}
