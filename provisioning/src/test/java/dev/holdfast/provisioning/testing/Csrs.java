package dev.holdfast.provisioning.testing;

import dev.holdfast.protocol.crypto.P256;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Named CSR fixtures, good and bad. */
public final class Csrs {
  private Csrs() {}

  public static byte[] csr(PublicKey subjectKey, PrivateKey signingKey, String algorithm, String subject) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), subjectKey)
          .build(new JcaContentSignerBuilder(algorithm).build(signingKey)).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A correct P-256 CSR whose subject claims to be someone else (the CA must ignore it). */
  public static byte[] valid(KeyPair keys) {
    return csr(keys.getPublic(), keys.getPrivate(), "SHA256withECDSA", "CN=i-claim-to-be-the-root");
  }

  public static byte[] valid(SecureRandom random) {
    return valid(P256.generate(random));
  }

  /** A P-256 CSR with the subject {@code CN=x-subject}, signed with {@code algorithm} (an ECDSA one). */
  public static byte[] signedWith(KeyPair keys, String algorithm) {
    return csr(keys.getPublic(), keys.getPrivate(), algorithm, "CN=x-subject");
  }

  /** Key A in the request, signed by key B: no proof of possession of A. */
  public static byte[] withoutProofOfPossession(SecureRandom random) {
    KeyPair a = P256.generate(random);
    KeyPair b = P256.generate(random);
    return csr(a.getPublic(), b.getPrivate(), "SHA256withECDSA", "CN=mallory");
  }

  public static byte[] withKeyOnP384(SecureRandom random) {
    KeyPair k = generate("EC", new ECGenParameterSpec("secp384r1"), random);
    return csr(k.getPublic(), k.getPrivate(), "SHA384withECDSA", "CN=x");
  }

  public static byte[] withRsaKey(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, random);
      KeyPair k = g.generateKeyPair();
      return csr(k.getPublic(), k.getPrivate(), "SHA256withRSA", "CN=x");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate(String alg, ECGenParameterSpec spec, SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
      g.initialize(spec, random);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
