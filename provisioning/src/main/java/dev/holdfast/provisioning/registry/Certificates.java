package dev.holdfast.provisioning.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Every certificate the CA issued (and the CA certificates themselves), by serial (lower-case hex). */
public interface Certificates extends Keyed<String, CertificateRecord> {
  /** Certificates of {@code kind} whose subject is {@code subject}. */
  default List<CertificateRecord> of(CertificateRecord.Kind kind, String subject) throws RegistryException {
    List<CertificateRecord> out = new ArrayList<>();
    for (CertificateRecord c : all()) {
      if (c.kind() == kind && c.subject().equals(subject)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The revoked certificates not expired at {@code now}, by serial: what the CRL lists. */
  default List<RevokedCertificate> revokedUnexpired(Instant now) throws RegistryException {
    return revokedUnexpired(all(), now);
  }

  /** Those of {@code certificates} that are revoked and not expired at {@code now}, in their order. */
  static List<RevokedCertificate> revokedUnexpired(Collection<CertificateRecord> certificates, Instant now) {
    List<RevokedCertificate> out = new ArrayList<>();
    for (CertificateRecord c : certificates) {
      if (c.state() == CertificateRecord.State.REVOKED && !c.expiredAt(now)) {
        out.add(RevokedCertificate.of(c));
      }
    }
    return out;
  }

  /** The next CRL number: 1, then one more each time, never reused. */
  long nextCrlNumber() throws RegistryException;
}
