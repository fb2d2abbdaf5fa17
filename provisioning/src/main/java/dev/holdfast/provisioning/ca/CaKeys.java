package dev.holdfast.provisioning.ca;

import dev.holdfast.protocol.crypto.Secret;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/**
 * EC P-256 private keys' sealed-at-rest form (PKCS#8 inside a {@link Secret}); the keys come from
 * {@code P256.generate}.
 */
public final class CaKeys {
  private CaKeys() {}


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
