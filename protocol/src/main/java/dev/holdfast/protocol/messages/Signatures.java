package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.crypto.P256;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;

/**
 * ECDSA P-256 with SHA-256 (DER-encoded signatures), the one signature scheme of the protocol;
 * computed by {@link P256}.
 */
public final class Signatures {
  public static final String ALGORITHM = "SHA256withECDSA";

  private Signatures() {}

  public static byte[] sign(PrivateKey key, byte[] data, SecureRandom random) {
    return P256.sign(key, data, random);
  }

  /** False for a wrong key, changed data or a malformed signature; never throws for bad input. */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    return P256.verify(key, data, signature);
  }
}
