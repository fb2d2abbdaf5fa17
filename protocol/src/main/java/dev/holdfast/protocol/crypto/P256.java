package dev.holdfast.protocol.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.util.BigIntegers;

/**
 * The protocol's one curve, EC P-256, computed with Bouncy Castle's lightweight API: ECDSA with
 * SHA-256 (DER signatures, as {@code SHA256withECDSA} makes them), ECDH and key generation, on the
 * JDK's key objects. Bouncy Castle's P-256 field arithmetic and its precomputed tables for the
 * base point make a signature about 6 times and a verification about 12 times cheaper than the
 * JDK 17's {@code SunEC} on the same machine (docs/decisions.md); a rotation costs the service
 * three verifications and three signatures, and a Pi pays the same arithmetic on slow cores.
 * No JCA provider is registered: TLS keeps the JDK's.
 */
public final class P256 {
  /** {@code ecdsa-with-SHA256}, the algorithm of every certificate, CRL and CSR the fleet signs. */
  public static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(
      X9ObjectIdentifiers.ecdsa_with_SHA256);

  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(),
      CURVE.getN(), CURVE.getH());
  private static final ECParameterSpec JCA_PARAMS = jcaParams();

  private P256() {}

  /** A DER ECDSA signature over SHA-256 of {@code data}, its nonce drawn from {@code random}. */
  public static byte[] sign(PrivateKey key, byte[] data, SecureRandom random) {
    return signDigest(privateParameters(key), sha256(data), random);
  }

  /**
   * True only for a DER signature (strict: one encoding per signature) by {@code key} over
   * {@code data}; false for a wrong key, changed data, a malformed signature or a key that is not
   * a P-256 point. Never throws for bad input.
   */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    return verifyDigest(key, sha256(data), signature);
  }

  /**
   * As {@link #verify}, over a digest already made (a CSR may be signed over SHA-384 or SHA-512;
   * ECDSA takes the digest's leftmost 256 bits).
   */
  public static boolean verifyDigest(PublicKey key, byte[] digest, byte[] signature) {
    try {
      BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(DOMAIN.getN(), signature);
      ECDSASigner verifier = new ECDSASigner();
      verifier.init(false, publicParameters(key));
      return verifier.verifySignature(digest, rs[0], rs[1]);
    } catch (IOException | RuntimeException e) {
      return false; // StandardDSAEncoding throws IllegalArgumentException, ASN.1 parsing others
    }
  }

  /**
   * The ECDH shared secret of {@code own} and {@code peer}: the x coordinate of the shared point,
   * 32 bytes big-endian, as the JDK's {@code KeyAgreement "ECDH"} gives it.
   */
  public static Secret agree(PrivateKey own, PublicKey peer) {
    ECDHBasicAgreement agreement = new ECDHBasicAgreement();
    agreement.init(privateParameters(own));
    BigInteger x = agreement.calculateAgreement(publicParameters(peer));
    return Secret.wrap(BigIntegers.asUnsignedByteArray(agreement.getFieldSize(), x));
  }

  /** A new key pair on P-256, as the JDK's key objects. */
  public static KeyPair generate(SecureRandom random) {
    BigInteger d = BigIntegers.createRandomInRange(BigInteger.ONE, DOMAIN.getN().subtract(BigInteger.ONE), random);
    ECPoint q = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d).normalize();
    try {
      KeyFactory factory = KeyFactory.getInstance("EC");
      PublicKey pub = factory.generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(
          q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), JCA_PARAMS));
      return new KeyPair(pub, factory.generatePrivate(new ECPrivateKeySpec(d, JCA_PARAMS)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC keys are not available in this JVM", e);
    }
  }

  /** A certificate, CRL or CSR signer ({@code ecdsa-with-SHA256}) for Bouncy Castle's builders. */
  public static ContentSigner contentSigner(PrivateKey key, SecureRandom random) {
    ECPrivateKeyParameters params = privateParameters(key);
    return new ContentSigner() {
      private final ByteArrayOutputStream content = new ByteArrayOutputStream(512);

      @Override
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return ECDSA_SHA256;
      }

      @Override
      public OutputStream getOutputStream() {
        return content;
      }

      @Override
      public byte[] getSignature() {
        byte[] digest = sha256(content.toByteArray());
        content.reset(); // the signer may be used again, for other content
        return signDigest(params, digest, random);
      }
    };
  }

  private static byte[] signDigest(ECPrivateKeyParameters key, byte[] digest, SecureRandom random) {
    ECDSASigner signer = new ECDSASigner();
    signer.init(true, new ParametersWithRandom(key, random));
    BigInteger[] rs = signer.generateSignature(digest);
    try {
      return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), rs[0], rs[1]);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an ECDSA signature", e);
    }
  }

  private static ECPrivateKeyParameters privateParameters(PrivateKey key) {
    if (!(key instanceof ECPrivateKey ec) || !isP256(ec.getParams())) {
      throw new IllegalArgumentException("not an EC P-256 private key: " + (key == null ? null : key.getAlgorithm()));
    }
    return new ECPrivateKeyParameters(ec.getS(), DOMAIN);
  }

  /** Checks that the key's point lies on the curve (no invalid-curve points reach the arithmetic). */
  private static ECPublicKeyParameters publicParameters(PublicKey key) {
    if (!isP256(key)) {
      throw new IllegalArgumentException("not an EC P-256 public key: " + (key == null ? null : key.getAlgorithm()));
    }
    java.security.spec.ECPoint w = ((ECPublicKey) key).getW();
    ECPoint q = DOMAIN.getCurve().validatePoint(w.getAffineX(), w.getAffineY());
    return new ECPublicKeyParameters(q, DOMAIN);
  }

  /** Whether {@code key} is an EC key on P-256 (its point is checked where it is used). */
  public static boolean isP256(PublicKey key) {
    return key instanceof ECPublicKey ec && isP256(ec.getParams());
  }

  private static boolean isP256(ECParameterSpec params) {
    return params.getOrder().equals(JCA_PARAMS.getOrder()) && params.getGenerator().equals(JCA_PARAMS.getGenerator())
        && params.getCurve().equals(JCA_PARAMS.getCurve());
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  private static ECParameterSpec jcaParams() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available in this JVM", e);
    }
  }
}
