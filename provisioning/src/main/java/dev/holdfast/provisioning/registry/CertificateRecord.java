package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * A certificate the CA issued (or is).
 *
 * @param serial lower-case hex
 * @param subject the device id for device certificates, the host name for server certificates, the CN
 *     for operator certificates
 * @param der the certificate itself (public)
 */
public record CertificateRecord(
    String serial,
    Kind kind,
    String subject,
    Instant notBefore,
    Instant notAfter,
    State state,
    Optional<Instant> revokedAt,
    byte[] der) {

  /** What the certificate is for. */
  public enum Kind {
    ROOT_CA,
    ISSUING_CA,
    DEVICE,
    SERVER,
    /** A fleet operator's MQTT client certificate (subject {@code holdfast.operator.NAME}). */
    OPERATOR
  }

  /** Revocation state; expiry is derived from {@link #notAfter} and a clock. */
  public enum State {
    VALID,
    REVOKED
  }

  public CertificateRecord {
    Checks.notBlank(serial, "certificate.serial");
    Checks.notNull(kind, "certificate.kind");
    Checks.notBlank(subject, "certificate.subject");
    Checks.notNull(notBefore, "certificate.not-before");
    Checks.notNull(notAfter, "certificate.not-after");
    Checks.notNull(state, "certificate.state");
    Checks.notNull(revokedAt, "certificate.revoked-at");
    der = Checks.notNull(der, "certificate.der").clone();
  }

  @Override
  public byte[] der() {
    return der.clone();
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(notAfter);
  }

  public CertificateRecord revoked(Instant at) {
    return new CertificateRecord(serial, kind, subject, notBefore, notAfter, State.REVOKED, Optional.of(at), der);
  }

  @Override
  public String toString() {
    return "CertificateRecord[" + kind + " " + serial + " " + subject + " until " + notAfter + " " + state + "]";
  }
}
