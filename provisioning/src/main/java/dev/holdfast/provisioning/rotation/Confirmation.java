package dev.holdfast.provisioning.rotation;

import dev.holdfast.protocol.messages.ConfirmRequest;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.RevokeRequest;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import dev.holdfast.provisioning.registry.RotationRecord;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A confirm, inside one registry transaction: signed by the key of the pending certificate, for the
 * device's pending rotation with this id. Then, all together: the old certificate is revoked (and
 * recorded as pending for the broker: the answer waits until the broker has taken it), the pending
 * certificate becomes the current one, the old API key is revoked (or put in GRACE for {@code
 * rotation.key-grace}), the rotation is recorded as confirmed with its signed answer. A confirm
 * repeated gets the stored answer and changes nothing.
 */
final class Confirmation {
  private final CertificateAuthority ca;
  private final AnswerSigner signer;
  private final RotationSettings settings;

  Confirmation(CertificateAuthority ca, AnswerSigner signer, RotationSettings settings) {
    this.ca = ca;
    this.signer = signer;
    this.settings = settings;
  }

  Outcome confirm(RegistryTx tx, ConfirmRequest c, Instant now) throws RegistryException, Registered.Refusal {
    Device device = Registered.activeDevice(tx, c.deviceId());
    Optional<RotationRecord> found = tx.rotations().find(c.deviceId())
        .filter(r -> r.requestId().equals(c.requestId()) && r.state() != RotationRecord.State.SUPERSEDED);
    if (found.isEmpty()) {
      throw new Registered.Refusal(ProvError.Code.NO_ROTATION,
          "device " + c.deviceId() + " has no rotation " + c.requestId() + " to confirm; start a new rotation");
    }
    RotationRecord rotation = found.get();
    if (!c.serial().equals(rotation.newSerial())) {
      throw new Registered.Refusal(ProvError.Code.BAD_REQUEST, "rotation " + c.requestId() + " issued certificate "
          + rotation.newSerial() + ", not " + c.serial());
    }
    PublicKey fresh = Registered.certificate(tx, c.deviceId(), rotation.newSerial()).getPublicKey();
    if (!c.signedBy(fresh)) {
      throw new Registered.Refusal(ProvError.Code.BAD_SIGNATURE,
          "the confirm is not signed by the key of the new certificate " + rotation.newSerial());
    }
    if (rotation.state() == RotationRecord.State.CONFIRMED) {
      // told again only once the broker refuses the old certificate, as the first time
      return new Outcome(stored(rotation.confirmAnswer().orElseThrow()), tx.brokerReloads().pending().isPresent());
    }
    ca.revoke(tx, new RevokeRequest.BySerial(rotation.oldSerial(), Renewal.ACTOR))
        .orElseThrow(r -> new IllegalStateException("the old certificate could not be revoked: " + r.message()));
    tx.brokerReloads().markPending(now, RotationService.BROKER_CHANGE, Set.of());
    tx.devices().put(device.withPendingConfirmed());
    OldKeys.retire(tx, rotation.oldKeyId(), settings.keyGrace(), now, Renewal.ACTOR);
    ConfirmResponse answer = signer.confirmed(c.requestId(), c.deviceId(), rotation.oldSerial(), rotation.oldKeyId(),
        now);
    tx.rotations().put(rotation.confirmed(now, answer.toJson()));
    tx.audit().append(AuditEvent.of(now, Renewal.ACTOR, "rotation.confirmed", c.deviceId(), "request "
        + c.requestId() + ": certificate " + rotation.newSerial() + " and key " + rotation.newKeyId()
        + " current; certificate " + rotation.oldSerial() + " and key " + rotation.oldKeyId() + " retired"));
    return new Outcome(answer, true);
  }

  private static ProvAnswer stored(String json) {
    try {
      return ProvAnswer.parse(json.getBytes(StandardCharsets.UTF_8));
    } catch (MessageException e) {
      throw new IllegalStateException("a stored rotation answer does not parse: " + e.getMessage(), e);
    }
  }
}
