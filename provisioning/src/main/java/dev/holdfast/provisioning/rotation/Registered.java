package dev.holdfast.provisioning.rotation;

import dev.holdfast.common.time.Durations;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/** What the registry knows of a device that a rotation checks against: its certificates' keys, its keys. */
final class Registered {
  private Registered() {}

  /** A refusal to answer with, for a request whose check failed. */
  static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final transient ProvError.Code code;

    Refusal(ProvError.Code code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /** The device, active; else the refusal. */
  static Device activeDevice(RegistryTx tx, String deviceId) throws RegistryException, Refusal {
    Optional<Device> device = tx.devices().find(deviceId);
    if (device.isEmpty()) {
      throw new Refusal(ProvError.Code.UNKNOWN_DEVICE, "this service does not know device " + deviceId);
    }
    if (device.get().state() != Device.State.ACTIVE) {
      throw new Refusal(ProvError.Code.DEVICE_REVOKED, "device " + deviceId + " is revoked; enroll it again");
    }
    return device.get();
  }

  /** The certificate with {@code serial}, for the device, as issued. */
  static X509Certificate certificate(RegistryTx tx, String deviceId, String serial)
      throws RegistryException, Refusal {
    Optional<CertificateRecord> c = tx.certificates().find(serial);
    if (c.isEmpty() || c.get().kind() != CertificateRecord.Kind.DEVICE || !c.get().subject().equals(deviceId)) {
      throw new Refusal(ProvError.Code.INTERNAL, "the registry has no certificate " + serial + " of " + deviceId);
    }
    return parse(c.get().der());
  }

  /**
   * The key of the device's current certificate, which must not be revoked, and not expired, or (a
   * recovery, {@code recoveryWindow} present) expired for at most that long.
   */
  static PublicKey currentKey(RegistryTx tx, Device device, Instant now, Optional<Duration> recoveryWindow)
      throws RegistryException, Refusal {
    String serial = device.currentSerial().orElseThrow(
        () -> new Refusal(ProvError.Code.INTERNAL, "device " + device.id() + " has no current certificate"));
    CertificateRecord record = tx.certificates().find(serial).orElseThrow(
        () -> new Refusal(ProvError.Code.INTERNAL, "the registry lost certificate " + serial));
    if (record.state() != CertificateRecord.State.VALID) {
      throw new Refusal(ProvError.Code.BAD_SIGNATURE, "the current certificate " + serial + " of " + device.id()
          + " is revoked; it cannot sign a renew");
    }
    if (record.expiredAt(now.minus(recoveryWindow.orElse(Duration.ZERO)))) {
      throw recoveryWindow.isEmpty()
          ? new Refusal(ProvError.Code.BAD_SIGNATURE, "the current certificate " + serial + " of " + device.id()
              + " expired at " + record.notAfter() + "; it cannot sign a renew here (a recovery over HTTPS can)")
          : new Refusal(ProvError.Code.RECOVERY_CLOSED, "the certificate " + serial + " of " + device.id()
              + " expired at " + record.notAfter() + ", longer ago than the recovery window ("
              + Durations.format(recoveryWindow.get()) + "); enroll the device again with a new token");
    }
    return parse(record.der()).getPublicKey();
  }

  /** The device's newest active API key that has not expired by {@code by}. */
  static Optional<ApiKeyRecord> newestActiveKey(RegistryTx tx, String deviceId, Instant by)
      throws RegistryException {
    return tx.apiKeys().ofDevice(deviceId).stream()
        .filter(k -> k.state() == ApiKeyRecord.State.ACTIVE && by.isBefore(k.expiresAt()))
        .max(Comparator.comparing(ApiKeyRecord::createdAt));
  }

  static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a certificate in the registry does not parse", e);
    }
  }
}
