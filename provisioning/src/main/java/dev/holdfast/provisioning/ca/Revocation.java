package dev.holdfast.provisioning.ca;

import dev.holdfast.provisioning.registry.CertificateRecord;
import java.util.List;

/**
 * What a revocation did: the certificates it matched (all revoked now). The CRL that lists them is
 * built once the transaction has committed, by whoever brings the broker up to date
 * ({@code broker.BrokerSync}): one CRL for however many revocations came before it.
 */
public record Revocation(List<CertificateRecord> certificates) {
  public Revocation {
    certificates = List.copyOf(certificates);
  }
}
