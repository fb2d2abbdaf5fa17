package dev.holdfast.bench.support;

import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.CsrPolicy;
import dev.holdfast.provisioning.ca.IssueRequest;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.registry.Registry;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** A device certificate from a CSR as {@code certs issue} makes one: the CSR checked, then one registry transaction. */
public final class DeviceCertificates {
  private DeviceCertificates() {}

  /** @param deviceId empty: a new id */
  public static IssuedCertificate issue(Registry registry, CertificateAuthority ca, byte[] csr,
      Optional<String> deviceId, RandomGenerator random) throws Exception {
    PublicKey key = CsrPolicy.check(csr).orElseThrow(r -> new IllegalStateException(r.message()));
    return registry.write(tx -> ca.issue(tx, new IssueRequest(deviceId.isPresent() ? deviceId.get()
        : tx.devices().newId(random), key, "default", Duration.ofDays(30), "bench")))
        .orElseThrow(r -> new IllegalStateException(r.message()));
  }
}
