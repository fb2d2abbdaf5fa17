package dev.holdfast.protocol.messages;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;

/** ECDSA P-256 with SHA-256 (DER-encoded signatures), the one signature scheme of the protocol. */
public final class Signatures {
  public static final String ALGORITHM = "SHA256withECDSA";

  private Signatures() {}

  public static byte[] sign(PrivateKey key, byte[] data, SecureRandom random) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key, random);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with a " + key.getAlgorithm() + " key", e);
    }
  }

  /** False for a wrong key, changed data or a malformed signature; never throws for bad input. */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
