package dev.holdfast.testkit;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Bouncy Castle certificate and CRL building for the test PKI. EC P-256, SHA-256 with ECDSA. */
final class Certs {
  private final SecureRandom random;

  Certs(SecureRandom random) {
    this.random = random;
  }

  KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 key generation is unavailable", e);
    }
  }

  /** A positive 127-bit random serial, as CAs are expected to use. */
  BigInteger serial() {
    return new BigInteger(127, random).setBit(0);
  }

  /** A self-signed root ({@code issuer == null}) or an intermediate signed by {@code issuer}. */
  X509Certificate ca(String cn, KeyPair key, Issuer issuer, Instant from, Instant to) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X500Name subject = name(cn);
      Issuer signer = issuer != null ? issuer : new Issuer(null, key.getPrivate(), subject, key.getPublic());
      X509v3CertificateBuilder b = builder(signer, subject, key.getPublic(), from, to)
          .addExtension(Extension.basicConstraints, true,
              issuer == null ? new BasicConstraints(true) : new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(signer.publicKey()));
      return sign(b, signer.key());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build CA certificate " + cn, e);
    }
  }

  /** An end-entity certificate: {@code server} for serverAuth with SANs, otherwise clientAuth. */
  X509Certificate leaf(String cn, PublicKey key, Issuer issuer, Instant from, Instant to, boolean server) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = builder(issuer, name(cn), key, from, to)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.publicKey()));
      if (server) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      }
      return sign(b, issuer.key());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build certificate " + cn, e);
    }
  }

  X509CRL crl(Issuer issuer, Collection<BigInteger> revoked, Instant thisUpdate, Instant nextUpdate, long number) {
    try {
      X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer.certificate(), Date.from(thisUpdate))
          .setNextUpdate(Date.from(nextUpdate))
          .addExtension(Extension.authorityKeyIdentifier, false,
              new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.certificate()))
          .addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
      for (BigInteger serial : revoked) {
        b.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
      }
      return new JcaX509CRLConverter().getCRL(b.build(signer(issuer.key())));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the CRL", e);
    }
  }

  private X509v3CertificateBuilder builder(Issuer issuer, X500Name subject, PublicKey key, Instant from, Instant to) {
    return new JcaX509v3CertificateBuilder(issuer.name(), serial(), Date.from(from), Date.from(to), subject, key);
  }

  private X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
  }

  private ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("SHA256withECDSA is unavailable", e);
    }
  }

  private static X500Name name(String cn) {
    return new X500Name("CN=" + cn);
  }

  /** Who signs: its certificate (null while a root signs itself), key, name and public key. */
  record Issuer(X509Certificate certificate, PrivateKey key, X500Name name, PublicKey publicKey) {
    static Issuer of(X509Certificate certificate, PrivateKey key) {
      return new Issuer(certificate, key, X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
          certificate.getPublicKey());
    }

    @Override
    public String toString() {
      return "Issuer[" + name + "]";
    }
  }
}
