package dev.holdfast.provisioning.rotation;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Retires a device's replaced API key inside the rotation's transaction. */
final class OldKeys {
  private OldKeys() {}

  /**
   * Revokes key {@code id} now ({@code grace} zero: 401 from the next request on), or puts it in
   * GRACE until {@code now + grace}. A key already revoked stays so.
   */
  static void retire(RegistryTx tx, String id, Duration grace, Instant now, String actor) throws RegistryException {
    Optional<ApiKeyRecord> key = tx.apiKeys().find(id);
    if (key.isEmpty() || key.get().state() == ApiKeyRecord.State.REVOKED) {
      return;
    }
    boolean revoke = grace.isZero();
    ApiKeyRecord updated = revoke ? key.get().withState(ApiKeyRecord.State.REVOKED, Optional.empty())
        : key.get().withState(ApiKeyRecord.State.GRACE, Optional.of(now.plus(grace)));
    tx.apiKeys().put(updated);
    tx.audit().append(AuditEvent.of(now, actor, revoke ? "key.revoked" : "key.grace", key.get().deviceId(),
        "key " + id + (revoke ? " replaced by a rotation" : " replaced by a rotation, works until " + now.plus(grace))));
  }
}
