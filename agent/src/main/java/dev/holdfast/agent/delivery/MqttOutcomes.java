package dev.holdfast.agent.delivery;

import dev.holdfast.agent.link.PublishResult;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import java.util.Optional;

/**
 * How a QoS 1 publication becomes a {@link DeliveryOutcome}: a PUBACK below 0x80 is delivered; a
 * refusal the broker will repeat for this message (not authorized, bad topic, too large, bad
 * payload format) is permanent; every other refusal (quota, unspecified, busy) and every missing
 * answer (not connected, timeout, connection lost) is retried. Nothing is silently dropped.
 */
public final class MqttOutcomes {
  public static final int NOT_AUTHORIZED = 0x87;
  public static final int TOPIC_NAME_INVALID = 0x90;
  public static final int PACKET_TOO_LARGE = 0x95;
  public static final int QUOTA_EXCEEDED = 0x97;
  public static final int PAYLOAD_FORMAT_INVALID = 0x99;

  private MqttOutcomes() {}

  public static DeliveryOutcome of(PublishResult result) {
    if (result instanceof PublishResult.Acked a) {
      return ofReasonCode(a.reasonCode());
    }
    if (result instanceof PublishResult.NotConnected n) {
      return retry("no MQTT connection (link " + n.state() + ")");
    }
    if (result instanceof PublishResult.Failed f) {
      return retry("publish failed: " + f.reason());
    }
    return retry("no PUBACK within mqtt.timeout");
  }

  static DeliveryOutcome ofReasonCode(int code) {
    String reason = "PUBACK " + hex(code);
    if (code < 0x80) {
      return new DeliveryOutcome.Delivered(code == 0x10 ? reason + " (no matching subscribers)" : reason);
    }
    return switch (code) {
      case NOT_AUTHORIZED -> new DeliveryOutcome.Permanent(reason
          + " not authorized: the broker's ACL does not let this device publish on that topic");
      case TOPIC_NAME_INVALID -> new DeliveryOutcome.Permanent(reason + " topic name invalid");
      case PACKET_TOO_LARGE -> new DeliveryOutcome.Permanent(reason + " packet too large for the broker");
      case PAYLOAD_FORMAT_INVALID -> new DeliveryOutcome.Permanent(reason + " payload format invalid");
      case QUOTA_EXCEEDED -> retry(reason + " quota exceeded");
      default -> retry(reason + " refused by the broker");
    };
  }

  private static DeliveryOutcome retry(String reason) {
    return new DeliveryOutcome.Retry(reason, Optional.empty());
  }

  private static String hex(int code) {
    return String.format("0x%02X", code);
  }
}
