package dev.holdfast.provisioning.ca;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.RevokedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V2TBSCertListGenerator;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

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
      V2TBSCertListGenerator tbs = new V2TBSCertListGenerator();
      tbs.setSignature(P256.ECDSA_SHA256);
      tbs.setIssuer(X500Name.getInstance(issuing.getSubjectX500Principal().getEncoded()));
      tbs.setThisUpdate(time(now));
      tbs.setNextUpdate(time(now.plus(validity)));
      for (RevokedCertificate c : revoked) {
        boolean issuedByIssuing = c.kind() == CertificateRecord.Kind.DEVICE || c.kind() == CertificateRecord.Kind.SERVER
            || c.kind() == CertificateRecord.Kind.OPERATOR;
        if (issuedByIssuing && !c.expiredAt(now)) {
          // reason "unspecified" is expressed by leaving the reason code out (RFC 5280, 5.3.1)
          tbs.addCRLEntry(new DERSequence(new ASN1Encodable[] {new ASN1Integer(new BigInteger(c.serial(), 16)),
              time(c.revokedAt().orElse(now))}));
        }
      }
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuing));
      extensions.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber)));
      tbs.setExtensions(extensions.generate());
      TBSCertList list = tbs.generateTBSCertList();
      byte[] signature = P256.sign(issuingKey, list.getEncoded(ASN1Encoding.DER), random);
      return parse(new DERSequence(new ASN1Encodable[] {list, P256.ECDSA_SHA256, new DERBitString(signature)})
          .getEncoded(ASN1Encoding.DER));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not build the CRL", e);
    }
  }

  /**
   * Whether {@code crl} is signed with ECDSA/SHA-256 by {@code issuing}'s key (checked with
   * {@link P256}, a fraction of the JDK's {@code X509CRL.verify}).
   */
  public static boolean signedBy(X509CRL crl, X509Certificate issuing) {
    try {
      return P256.ECDSA_SHA256.getAlgorithm().getId().equals(crl.getSigAlgOID())
          && P256.verify(issuing.getPublicKey(), crl.getTBSCertList(), crl.getSignature());
    } catch (CRLException e) {
      return false;
    }
  }

  /**
   * RFC 5280's time: UTCTime through 2049, GeneralizedTime after, to the second. Written as DER
   * directly: Bouncy Castle's {@code Time(Date)} formats and re-parses through SimpleDateFormat,
   * which was most of the cost of a CRL with a thousand entries.
   */
  static Time time(Instant at) {
    ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
    if (utc.getYear() >= 2050 || utc.getYear() < 1950) {
      return new Time(new DERGeneralizedTime(GENERALIZED.format(utc)));
    }
    byte[] text = UTC.format(utc).getBytes(StandardCharsets.US_ASCII);
    byte[] der = new byte[2 + text.length];
    der[0] = BERTags.UTC_TIME;
    der[1] = (byte) text.length;
    System.arraycopy(text, 0, der, 2, text.length);
    return Time.getInstance(ASN1UTCTime.getInstance(der));
  }

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT);
  private static final DateTimeFormatter GENERALIZED = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT);

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
