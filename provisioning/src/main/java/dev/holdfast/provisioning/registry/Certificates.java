package dev.holdfast.provisioning.registry;

import java.util.ArrayList;
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

  /** The next CRL number: 1, then one more each time, never reused. */
  long nextCrlNumber() throws RegistryException;
}
