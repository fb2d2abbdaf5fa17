package dev.holdfast.provisioning.ca;

import dev.holdfast.provisioning.registry.RegistryException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a presented device certificate is one of ours and usable now: each failure has
 * its own reason, so an operator (or a recovering device) is told exactly what is wrong.
 */
public final class DeviceCertificateVerifier {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /** Looks up whether a serial (lower-case hex) was revoked. */
  @FunctionalInterface
  public interface RevocationCheck {
    boolean isRevoked(String serial) throws RegistryException;
  }

  /** The verdict. */
  public enum Verdict {
    VALID,
    EXPIRED,
    NOT_YET_VALID,
    /** Not signed by this fleet's issuing CA. */
    UNTRUSTED,
    /** Not a TLS client certificate (EKU, key usage or a CA certificate). */
    WRONG_USAGE,
    REVOKED
  }

  /** The verdict and the device id (the CN) it names. */
  public record Result(Verdict verdict, String deviceId, String detail) {}

  private final X509Certificate root;
  private final X509Certificate issuing;
  private final RevocationCheck revocations;

  public DeviceCertificateVerifier(X509Certificate root, X509Certificate issuing, RevocationCheck revocations) {
    this.root = root;
    this.issuing = issuing;
    this.revocations = revocations;
  }

  public Result verify(X509Certificate leaf, Instant at) throws RegistryException {
    String cn = commonName(leaf);
    if (!leaf.getIssuerX500Principal().equals(issuing.getSubjectX500Principal())) {
      return new Result(Verdict.UNTRUSTED, cn, "issued by " + leaf.getIssuerX500Principal() + ", not by this fleet's CA");
    }
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf, issuing)), params);
    } catch (GeneralSecurityException e) {
      if (at.isAfter(leaf.getNotAfter().toInstant())) {
        return new Result(Verdict.EXPIRED, cn, "expired " + leaf.getNotAfter().toInstant());
      }
      if (at.isBefore(leaf.getNotBefore().toInstant())) {
        return new Result(Verdict.NOT_YET_VALID, cn, "valid only from " + leaf.getNotBefore().toInstant());
      }
      return new Result(Verdict.UNTRUSTED, cn, "does not chain to this fleet's root: " + e.getMessage());
    }
    if (!isClientCertificate(leaf)) {
      return new Result(Verdict.WRONG_USAGE, cn, "not a TLS client certificate (needs EKU clientAuth, digitalSignature, not a CA)");
    }
    if (revocations.isRevoked(SerialNumbers.hex(leaf.getSerialNumber()))) {
      return new Result(Verdict.REVOKED, cn, "serial " + SerialNumbers.hex(leaf.getSerialNumber()) + " is revoked");
    }
    return new Result(Verdict.VALID, cn, "valid until " + leaf.getNotAfter().toInstant());
  }

  private static boolean isClientCertificate(X509Certificate leaf) {
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      boolean[] ku = leaf.getKeyUsage();
      return eku != null && eku.contains(CLIENT_AUTH) && ku != null && ku[0] && leaf.getBasicConstraints() < 0;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static String commonName(X509Certificate cert) {
    for (String part : cert.getSubjectX500Principal().getName().split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3);
      }
    }
    return "";
  }
}
