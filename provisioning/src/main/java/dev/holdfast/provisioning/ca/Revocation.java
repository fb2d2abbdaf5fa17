package dev.holdfast.provisioning.ca;

import dev.holdfast.provisioning.registry.CertificateRecord;
import java.security.cert.X509CRL;
import java.util.List;

/**
 * What a revocation did: the certificates it matched (all revoked now) and the new CRL that lists
 * them, to be published once the transaction has committed.
 */
public record Revocation(List<CertificateRecord> certificates, X509CRL crl) {
  public Revocation {
    certificates = List.copyOf(certificates);
  }
}
