package dev.holdfast.provisioning.ca;

import dev.holdfast.protocol.crypto.Secret;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/** EC P-256 key pairs and their sealed-at-rest form (PKCS#8 inside a {@link Secret}). */
public final class CaKeys {
  public static final String CURVE = "secp256r1";

  private CaKeys() {}

  public static KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(CURVE), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available in this JVM", e);
    }
  }

  public static Secret toSecret(PrivateKey key) {
    return Secret.wrap(key.getEncoded());
  }

  public static PrivateKey fromSecret(Secret secret) {
    byte[] pkcs8 = secret.bytes();
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("stored CA key does not decode as an EC PKCS#8 key", e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }
}
