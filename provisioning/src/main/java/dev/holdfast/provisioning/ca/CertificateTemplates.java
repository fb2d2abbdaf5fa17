package dev.holdfast.provisioning.ca;

import dev.holdfast.protocol.crypto.P256;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * The four kinds of certificate the fleet CA makes, as fixed extension sets. Tests use {@link
 * #sign} directly to build deliberately wrong certificates (expired, other CA, wrong usage).
 */
public final class CertificateTemplates {
  private CertificateTemplates() {}

  /** Extension sets. */
  public enum Usage {
    /** Self-signed fleet root: CA, any path length below it up to 1. */
    ROOT_CA,
    /** Issues device and server certificates, nothing else. */
    ISSUING_CA,
    /** TLS client (broker, enrollment API): EKU clientAuth. */
    DEVICE,
    /** TLS server (relay, API): EKU serverAuth, names in the SAN. */
    SERVER
  }

  /**
   * What goes into a certificate; {@code issuer} empty means self-signed, {@code unit} is the
   * subject's OU (an operator's role), empty for every other certificate.
   */
  public record Spec(
      String commonName,
      PublicKey publicKey,
      BigInteger serial,
      Instant notBefore,
      Instant notAfter,
      Usage usage,
      List<String> subjectAltNames,
      Optional<X509Certificate> issuer,
      PrivateKey issuerKey,
      Optional<String> unit) {
    public Spec {
      subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** A subject with a CN only. */
    public Spec(String commonName, PublicKey publicKey, BigInteger serial, Instant notBefore, Instant notAfter,
        Usage usage, List<String> subjectAltNames, Optional<X509Certificate> issuer, PrivateKey issuerKey) {
      this(commonName, publicKey, serial, notBefore, notAfter, usage, subjectAltNames, issuer, issuerKey,
          Optional.empty());
    }
  }

  public static X500Name name(String commonName) {
    return name(commonName, Optional.empty());
  }

  /** CN, and OU when {@code unit} is present. */
  public static X500Name name(String commonName, Optional<String> unit) {
    X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName);
    unit.ifPresent(u -> b.addRDN(BCStyle.OU, u));
    return b.build();
  }

  public static X509Certificate sign(Spec spec, SecureRandom random) {
    try {
      X500Name subject = name(spec.commonName(), spec.unit());
      X509v3CertificateBuilder b = spec.issuer().isPresent()
          ? new JcaX509v3CertificateBuilder(spec.issuer().get(), spec.serial(), Date.from(spec.notBefore()),
              Date.from(spec.notAfter()), subject, spec.publicKey())
          : new JcaX509v3CertificateBuilder(subject, spec.serial(), Date.from(spec.notBefore()),
              Date.from(spec.notAfter()), subject, spec.publicKey());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spec.publicKey()));
      if (spec.issuer().isPresent()) {
        b.addExtension(Extension.authorityKeyIdentifier, false,
            ext.createAuthorityKeyIdentifier(spec.issuer().get()));
      }
      switch (spec.usage()) {
        case ROOT_CA -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case ISSUING_CA -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case DEVICE -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
        case SERVER -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        }
      }
      if (!spec.subjectAltNames().isEmpty()) {
        GeneralName[] names = spec.subjectAltNames().stream()
            .map(n -> n.matches("[0-9.]+|.*:.*")
                ? new GeneralName(GeneralName.iPAddress, n)
                : new GeneralName(GeneralName.dNSName, n))
            .toArray(GeneralName[]::new);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return Pem.certificate(b.build(signer(spec.issuerKey(), random)).getEncoded());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not build a certificate for " + spec.commonName(), e);
    }
  }

  static ContentSigner signer(PrivateKey key, SecureRandom random) {
    return P256.contentSigner(key, random);
  }
}
