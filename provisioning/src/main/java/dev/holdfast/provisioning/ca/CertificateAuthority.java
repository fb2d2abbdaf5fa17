package dev.holdfast.provisioning.ca;

import dev.holdfast.common.Result;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The fleet CA as the use cases see it: issue, renew and revoke device certificates, and make the
 * CRL. Each call works inside the caller's registry transaction, so a use case (enrollment, a
 * rotation) makes its certificate, its device and its key all or nothing; a refusal is returned
 * before anything is written. What the CA does it records itself (certificate records, the device's
 * current or pending serial, audit events). Publishing a CRL is {@code broker.CrlPublisher}'s job;
 * the credentials of services and operators are {@code credentials}'.
 * Implementation: {@link DefaultCertificateAuthority} (keys in memory, from the registry).
 */
public interface CertificateAuthority {
  /** A device certificate for a new or active device: its current certificate from now on. */
  Result<IssuedCertificate, CaRefusal> issue(RegistryTx tx, IssueRequest request) throws RegistryException;

  /** A further certificate for an active device, pending until the device confirms it. */
  Result<IssuedCertificate, CaRefusal> renew(RegistryTx tx, RenewRequest request) throws RegistryException;

  /** Revokes what the request names and makes the CRL that lists it. */
  Result<Revocation, CaRefusal> revoke(RegistryTx tx, RevokeRequest request) throws RegistryException;

  /** A fresh CRL (the next CRL number) of every revoked certificate that has not yet expired. */
  X509CRL crl(RegistryTx tx) throws RegistryException;

  /** Issuing CA then root: what a device or the broker needs besides a leaf. */
  List<X509Certificate> chain();
}
