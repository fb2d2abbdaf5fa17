package dev.holdfast.provisioning.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * What a CRL needs of a revoked certificate: its serial, its kind (which CA signed it), when it was
 * revoked and when it expires (an expired certificate is refused anyway and leaves the list).
 */
public record RevokedCertificate(String serial, CertificateRecord.Kind kind, Optional<Instant> revokedAt,
    Instant notAfter) {
  public static RevokedCertificate of(CertificateRecord c) {
    return new RevokedCertificate(c.serial(), c.kind(), c.revokedAt(), c.notAfter());
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(notAfter);
  }
}
