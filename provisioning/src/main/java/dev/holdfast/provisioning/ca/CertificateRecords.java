package dev.holdfast.provisioning.ca;

import dev.holdfast.provisioning.registry.CertificateRecord;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** A certificate as the registry keeps it. */
public final class CertificateRecords {
  private CertificateRecords() {}

  /** The record of a certificate just issued (valid). */
  public static CertificateRecord of(X509Certificate c, CertificateRecord.Kind kind, String subject) {
    return new CertificateRecord(SerialNumbers.hex(c.getSerialNumber()), kind, subject, c.getNotBefore().toInstant(),
        c.getNotAfter().toInstant(), CertificateRecord.State.VALID, Optional.empty(), der(c));
  }

  public static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("certificate does not encode", e);
    }
  }
}
