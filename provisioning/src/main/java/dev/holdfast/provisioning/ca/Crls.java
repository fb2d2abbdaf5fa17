package dev.holdfast.provisioning.ca;

import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.RevokedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;

/** Builds and checks the issuing CA's CRL (what Mosquitto's {@code crlfile} reads). */
public final class Crls {
  private Crls() {}

  /**
   * A CRL listing every certificate of {@code revoked} that the issuing CA signed and that has not
   * yet expired (an expired certificate is refused anyway, so the list stays short).
   */
  public static X509CRL build(X509Certificate issuing, PrivateKey issuingKey, Collection<RevokedCertificate> revoked,
      long crlNumber, Instant now, Duration validity, SecureRandom random) {
    try {
      X509v2CRLBuilder b = new X509v2CRLBuilder(
          X500Name.getInstance(issuing.getSubjectX500Principal().getEncoded()), Date.from(now));
      b.setNextUpdate(Date.from(now.plus(validity)));
      for (RevokedCertificate c : revoked) {
        boolean issuedByIssuing = c.kind() == CertificateRecord.Kind.DEVICE || c.kind() == CertificateRecord.Kind.SERVER
            || c.kind() == CertificateRecord.Kind.OPERATOR;
        if (issuedByIssuing && !c.expiredAt(now)) {
          b.addCRLEntry(new BigInteger(c.serial(), 16), Date.from(c.revokedAt().orElse(now)), CRLReason.unspecified);
        }
      }
      b.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuing));
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber)));
      byte[] der = b.build(CertificateTemplates.signer(issuingKey, random)).getEncoded();
      return parse(der);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("could not build the CRL", e);
    }
  }

  /** The CRL number, or -1 when it has none. */
  public static BigInteger number(X509CRL crl) {
    byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
    try {
      return ext == null ? BigInteger.ONE.negate()
          : org.bouncycastle.asn1.ASN1Integer.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ext)).getValue();
    } catch (IOException e) {
      return BigInteger.ONE.negate();
    }
  }

  /**
   * Whether {@code crl} should be replaced at {@code now}: when less than half of its validity is
   * left. A CRL past its nextUpdate makes Mosquitto refuse every client, so the margin is wide: a
   * refresh that fails has half the validity to be noticed and retried.
   */
  public static boolean refreshDue(X509CRL crl, Instant now) {
    if (crl.getNextUpdate() == null) {
      return true;
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    Instant nextUpdate = crl.getNextUpdate().toInstant();
    return !now.isBefore(thisUpdate.plus(Duration.between(thisUpdate, nextUpdate).dividedBy(2)));
  }

  public static X509CRL parse(byte[] der) throws GeneralSecurityException {
    return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
  }

  public static String pem(X509CRL crl) {
    try {
      return Pem.encode("X509 CRL", crl.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("CRL does not encode", e);
    }
  }
}
