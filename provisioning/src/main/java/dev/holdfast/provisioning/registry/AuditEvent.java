package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * Who did what, when. Details name keys and tokens by their public id only.
 *
 * @param actor e.g. {@code operator:alice}, {@code relay}, {@code enrollment}
 * @param action e.g. {@code cert.issued}, {@code key.revoked}
 */
public record AuditEvent(Instant at, String actor, String action, Optional<String> deviceId, String detail) {
  public AuditEvent {
    Checks.notNull(at, "audit.at");
    Checks.notBlank(actor, "audit.actor");
    Checks.notBlank(action, "audit.action");
    Checks.notNull(deviceId, "audit.device");
    Checks.notNull(detail, "audit.detail");
  }

  public static AuditEvent of(Instant at, String actor, String action, String deviceId, String detail) {
    return new AuditEvent(at, actor, action, Optional.ofNullable(deviceId), detail);
  }
}
