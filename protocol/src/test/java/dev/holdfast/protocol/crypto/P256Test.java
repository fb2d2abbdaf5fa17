package dev.holdfast.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.junit.jupiter.api.Test;

/** P-256 through Bouncy Castle's lightweight API agrees with the JDK's SunEC in every direction. */
class P256Test {
  static final SecureRandom RANDOM = new SecureRandom();
  static final byte[] DATA = "renew dev-0001 r-17".getBytes(StandardCharsets.UTF_8);
  static final BigInteger ORDER = new BigInteger(
      "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  static KeyPair jdk(String curve) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec(curve), RANDOM);
    return gen.generateKeyPair();
  }

  static byte[] jdkSign(KeyPair keys, String algorithm, byte[] data) throws Exception {
    Signature s = Signature.getInstance(algorithm);
    s.initSign(keys.getPrivate(), RANDOM);
    s.update(data);
    return s.sign();
  }

  static boolean jdkVerify(PublicKey key, byte[] data, byte[] signature) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initVerify(key);
    s.update(data);
    return s.verify(signature);
  }

  @Test
  void aSignatureVerifiesWithTheJdkAndTheJdksSignatureVerifiesHere() throws Exception {
    KeyPair keys = jdk("secp256r1");

    assertThat(jdkVerify(keys.getPublic(), DATA, P256.sign(keys.getPrivate(), DATA, RANDOM))).isTrue();
    assertThat(P256.verify(keys.getPublic(), DATA, jdkSign(keys, "SHA256withECDSA", DATA))).isTrue();
  }

  @Test
  void anotherKeyChangedDataOrAnyChangedSignatureByteFailsWithoutThrowing() throws Exception {
    KeyPair keys = jdk("secp256r1");
    byte[] signature = P256.sign(keys.getPrivate(), DATA, RANDOM);

    assertThat(P256.verify(jdk("secp256r1").getPublic(), DATA, signature)).isFalse();
    assertThat(P256.verify(keys.getPublic(), "renew dev-0001 r-18".getBytes(StandardCharsets.UTF_8), signature))
        .isFalse();
    for (int i = 0; i < signature.length; i++) {
      byte[] bad = signature.clone();
      bad[i] ^= 0x01;
      assertThat(P256.verify(keys.getPublic(), DATA, bad)).as("byte %d changed", i).isFalse();
    }
    assertThat(P256.verify(keys.getPublic(), DATA, new byte[0])).isFalse();
    assertThat(P256.verify(keys.getPublic(), DATA, Arrays.copyOf(signature, signature.length + 1))).isFalse();
    assertThat(P256.verify(keys.getPublic(), DATA, Arrays.copyOf(signature, signature.length - 1))).isFalse();
  }

  @Test
  void outOfRangeValuesAreRefusedEvenWhenWellEncoded() throws Exception {
    KeyPair keys = jdk("secp256r1");

    for (BigInteger[] rs : new BigInteger[][] {{BigInteger.ZERO, BigInteger.ONE}, {BigInteger.ONE, BigInteger.ZERO},
        {ORDER, BigInteger.ONE}, {BigInteger.ONE, ORDER}}) {
      byte[] der = new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])}).getEncoded();
      assertThat(P256.verify(keys.getPublic(), DATA, der)).as("r=%s s=%s", rs[0], rs[1]).isFalse();
    }
  }

  @Test
  void aPointOffTheCurveIsNeitherVerifiedWithNorAgreedWith() throws Exception {
    KeyPair keys = jdk("secp256r1");
    ECPublicKey real = (ECPublicKey) keys.getPublic();
    PublicKey off = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
        new ECPoint(real.getW().getAffineX(), real.getW().getAffineY().add(BigInteger.ONE)), real.getParams()));

    assertThat(P256.verify(off, DATA, P256.sign(keys.getPrivate(), DATA, RANDOM))).isFalse();
    assertThatThrownBy(() -> P256.agree(keys.getPrivate(), off)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysOfAnotherCurveAreRefusedByName() throws Exception {
    KeyPair p384 = jdk("secp384r1");

    assertThatThrownBy(() -> P256.sign(p384.getPrivate(), DATA, RANDOM))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an EC P-256 private key");
    assertThat(P256.verify(p384.getPublic(), DATA, jdkSign(p384, "SHA256withECDSA", DATA))).isFalse();
  }

  @Test
  void aSha384DigestVerifiesAsTheJdksSha384WithEcdsaSignsIt() throws Exception {
    KeyPair keys = jdk("secp256r1");
    byte[] signature = jdkSign(keys, "SHA384withECDSA", DATA);
    byte[] digest = MessageDigest.getInstance("SHA-384").digest(DATA);

    assertThat(P256.verifyDigest(keys.getPublic(), digest, signature)).isTrue();
    assertThat(P256.verify(keys.getPublic(), DATA, signature)).as("not over SHA-256").isFalse();
  }

  @Test
  void theSharedSecretIsTheOneTheJdksEcdhComputes() throws Exception {
    KeyPair a = jdk("secp256r1");
    KeyPair b = P256.generate(RANDOM);
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(a.getPrivate());
    ka.doPhase(b.getPublic(), true);
    byte[] expected = ka.generateSecret();

    Secret ours = P256.agree(a.getPrivate(), b.getPublic());
    Secret theirs = P256.agree(b.getPrivate(), a.getPublic());

    assertThat(ours.bytes()).hasSize(32).isEqualTo(expected).isEqualTo(theirs.bytes());
  }

  @Test
  void aGeneratedKeyPairIsAP256PairTheJdkSignsAndVerifiesWith() throws Exception {
    KeyPair keys = P256.generate(RANDOM);

    assertThat(((ECPublicKey) keys.getPublic()).getParams().getOrder()).isEqualTo(ORDER);
    assertThat(jdkVerify(keys.getPublic(), DATA, jdkSign(keys, "SHA256withECDSA", DATA)))
        .as("the public key is the private key's").isTrue();
    assertThat(P256.generate(RANDOM).getPublic()).isNotEqualTo(keys.getPublic());
  }

  @Test
  void aCertificateSignedThroughTheContentSignerVerifiesWithTheJdk() throws Exception {
    KeyPair keys = P256.generate(RANDOM);
    X500Name name = new X500Name("CN=p256 test");
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
        BigInteger.TEN, Date.from(Instant.parse("2026-01-01T00:00:00Z")),
        Date.from(Instant.parse("2027-01-01T00:00:00Z")), name, keys.getPublic())
        .build(P256.contentSigner(keys.getPrivate(), RANDOM)));

    cert.verify(keys.getPublic());
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  @Test
  void oneContentSignerSignsOneContentAfterAnother() throws Exception {
    KeyPair keys = P256.generate(RANDOM);
    org.bouncycastle.operator.ContentSigner signer = P256.contentSigner(keys.getPrivate(), RANDOM);
    byte[] other = "confirm dev-0001 r-17".getBytes(StandardCharsets.UTF_8);

    signer.getOutputStream().write(DATA);
    byte[] first = signer.getSignature();
    signer.getOutputStream().write(other);
    byte[] second = signer.getSignature();

    assertThat(jdkVerify(keys.getPublic(), DATA, first)).isTrue();
    assertThat(jdkVerify(keys.getPublic(), other, second)).as("not over both contents").isTrue();
  }
}
