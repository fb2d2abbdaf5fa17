package dev.holdfast.provisioning.rotation;

import dev.holdfast.common.Result;
import dev.holdfast.protocol.crypto.SealedBox;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.RenewRequest;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.CsrPolicy;
import dev.holdfast.provisioning.ca.CsrRefusal;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.ca.RevokeRequest;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import dev.holdfast.provisioning.registry.RotationRecord;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * A renew, inside one registry transaction. A request id already answered gets the stored answer
 * (after its signature is checked against the key that made it): never a second certificate.
 * Otherwise every check comes before the first write: the device is active, the request is fresh,
 * signed by the key of the device's current certificate, and carries a P-256 CSR for a new key.
 * Then an unconfirmed earlier rotation is superseded (its certificate and key revoked), the new
 * certificate is issued as pending (same lifetime as the current one), a new API key is made
 * (same scopes and lifetime as the current one) and sealed to the new key, and the signed answer
 * is stored with the rotation. The old certificate and key stay valid until the confirm.
 *
 * <p>A recovery ({@code POST /v1/recover}) is the same renew with a {@code recoveryWindow}: the
 * current certificate (and API key) may have expired that long ago, not longer; past it the
 * refusal is {@code recovery_closed}.
 */
final class Renewal {
  static final String ACTOR = "rotation";

  private final CertificateAuthority ca;
  private final ApiKeyService keys;
  private final AnswerSigner signer;
  private final RotationSettings settings;
  private final SecureRandom random;

  Renewal(CertificateAuthority ca, ApiKeyService keys, AnswerSigner signer, RotationSettings settings,
      SecureRandom random) {
    this.ca = ca;
    this.keys = keys;
    this.signer = signer;
    this.settings = settings;
    this.random = random;
  }

  Outcome renew(RegistryTx tx, RenewRequest r, Instant now, Optional<Duration> recoveryWindow)
      throws RegistryException, Registered.Refusal {
    Device device = Registered.activeDevice(tx, r.deviceId());
    Optional<RotationRecord> earlier = tx.rotations().find(r.deviceId());
    if (earlier.isPresent() && earlier.get().requestId().equals(r.requestId())) {
      return repeated(tx, r, earlier.get());
    }
    if (Duration.between(r.at(), now).abs().compareTo(settings.maxSkew()) > 0) {
      throw new Registered.Refusal(ProvError.Code.STALE, "the request was made at " + r.at() + ", more than "
          + settings.maxSkew() + " from the service's time " + now + "; check the device's clock and ask again");
    }
    PublicKey current = Registered.currentKey(tx, device, now, recoveryWindow);
    Instant validSince = now.minus(recoveryWindow.orElse(Duration.ZERO)); // what may still be replaced
    if (!r.signedBy(current)) {
      throw new Registered.Refusal(ProvError.Code.BAD_SIGNATURE,
          "the renew is not signed by the key of " + r.deviceId() + "'s current certificate");
    }
    PublicKey fresh = csrKey(r.csr(), current);
    Optional<RotationRecord> pending = earlier.filter(e -> e.state() == RotationRecord.State.PENDING);
    ApiKeyRecord oldKey = pending.isPresent() ? tx.apiKeys().find(pending.get().oldKeyId()).orElseThrow()
        : Registered.newestActiveKey(tx, r.deviceId(), validSince).orElseThrow(() -> new Registered.Refusal(
            ProvError.Code.INTERNAL, "device " + r.deviceId() + " has no active API key to replace"));
    X509Certificate currentCert = Registered.certificate(tx, r.deviceId(), device.currentSerial().orElseThrow());
    Duration certLifetime = Duration.between(currentCert.getNotBefore().toInstant().plus(FleetCa.BACKDATE),
        currentCert.getNotAfter().toInstant());
    if (pending.isPresent()) {
      supersede(tx, pending.get(), device, now);
    }
    IssuedCertificate issued = ca.renew(tx, new dev.holdfast.provisioning.ca.RenewRequest(r.deviceId(), fresh,
        certLifetime, ACTOR)).orElseThrow(refused -> new IllegalStateException(
            "the CA refused a renewal it was asked for after every check: " + refused.message()));
    ApiKeyService.Created key = keys.create(tx, r.deviceId(), oldKey.scopes(),
        Duration.between(oldKey.createdAt(), oldKey.expiresAt()), ACTOR).orElseThrow(refused ->
            new IllegalStateException("the API key of an active device was refused: " + refused.message()));
    RenewResponse answer = signer.renewed(r.requestId(), r.deviceId(), issued.chain(), key.key().id(),
        sealed(key, fresh, r), key.record().expiresAt(), key.record().scopes().stream().sorted().toList(), now);
    tx.rotations().put(new RotationRecord(r.deviceId(), r.requestId(), RotationRecord.State.PENDING,
        device.currentSerial().orElseThrow(), issued.serial(), oldKey.id(), key.key().id(), now, answer.toJson(),
        Optional.empty(), Optional.empty()));
    tx.audit().append(AuditEvent.of(now, ACTOR, "rotation.renewed", r.deviceId(), "request " + r.requestId()
        + ": certificate " + issued.serial() + " and key " + key.key().id() + " pending confirmation"));
    return new Outcome(answer, pending.isPresent());
  }

  /** The same request again: the same answer, if the same key signed it. */
  private static Outcome repeated(RegistryTx tx, RenewRequest r, RotationRecord earlier)
      throws RegistryException, Registered.Refusal {
    PublicKey signer = Registered.certificate(tx, r.deviceId(), earlier.oldSerial()).getPublicKey();
    if (!r.signedBy(signer)) {
      throw new Registered.Refusal(ProvError.Code.BAD_SIGNATURE,
          "the renew is not signed by the key that asked for rotation " + r.requestId());
    }
    if (earlier.state() == RotationRecord.State.SUPERSEDED) {
      throw new Registered.Refusal(ProvError.Code.NO_ROTATION,
          "rotation " + r.requestId() + " was replaced by a newer one; start a new rotation");
    }
    try {
      return Outcome.answer(ProvAnswer.parse(earlier.renewAnswer().getBytes(StandardCharsets.UTF_8)));
    } catch (MessageException e) {
      throw new IllegalStateException("a stored rotation answer does not parse: " + e.getMessage(), e);
    }
  }

  private static PublicKey csrKey(byte[] csr, PublicKey current) throws Registered.Refusal {
    Result<PublicKey, CsrRefusal> checked = CsrPolicy.check(csr);
    if (checked instanceof Result.Refused<PublicKey, CsrRefusal> refused) {
      throw new Registered.Refusal(ProvError.Code.CSR_REJECTED, refused.message());
    }
    PublicKey fresh = checked.ok().orElseThrow();
    if (Arrays.equals(fresh.getEncoded(), current.getEncoded())) {
      throw new Registered.Refusal(ProvError.Code.CSR_REJECTED,
          "the CSR's key is the key in use; a rotation needs a newly generated key");
    }
    return fresh;
  }

  /** An unconfirmed rotation replaced by a newer one: its certificate and key never work again. */
  private void supersede(RegistryTx tx, RotationRecord pending, Device device, Instant now)
      throws RegistryException {
    ca.revoke(tx, new RevokeRequest.BySerial(pending.newSerial(), ACTOR))
        .orElseThrow(r -> new IllegalStateException("the superseded certificate could not be revoked: " + r.message()));
    tx.brokerReloads().markPending(now, RotationService.BROKER_CHANGE, Set.of());
    OldKeys.retire(tx, pending.newKeyId(), Duration.ZERO, now, ACTOR);
    tx.devices().put(device.withoutPending());
    tx.rotations().put(pending.superseded());
    tx.audit().append(AuditEvent.of(now, ACTOR, "rotation.superseded", device.id(), "request " + pending.requestId()
        + " replaced before its confirm"));
  }

  private byte[] sealed(ApiKeyService.Created key, PublicKey fresh, RenewRequest r) {
    byte[] plain = key.key().asciiBytes();
    try {
      return SealedBox.seal(fresh, plain, RenewResponse.apiKeyAssociatedData(r.deviceId(), r.requestId()), random);
    } finally {
      Arrays.fill(plain, (byte) 0);
      key.key().destroy();
    }
  }
}
