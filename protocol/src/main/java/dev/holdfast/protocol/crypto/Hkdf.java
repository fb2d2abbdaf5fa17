package dev.holdfast.protocol.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869): derives independent subkeys from one master secret. */
public final class Hkdf {
  private static final int HASH_BYTES = 32;
  /**
   * Never initialised: each use takes a clone, which skips the provider look-up of {@link
   * Mac#getInstance} (a list walk and a signature check, a good part of a vault write's CPU).
   */
  private static final Mac PROTOTYPE = newMac();

  private Hkdf() {}

  public static Secret derive(Secret inputKey, byte[] salt, byte[] info, int length) {
    if (length <= 0 || length > 255 * HASH_BYTES) {
      throw new IllegalArgumentException("HKDF output length must be 1.." + 255 * HASH_BYTES);
    }
    byte[] ikm = inputKey.bytes();
    try {
      byte[] prk = hmac(salt.length == 0 ? new byte[HASH_BYTES] : salt, ikm);
      byte[] out = new byte[length];
      byte[] block = new byte[0];
      int written = 0;
      for (int counter = 1; written < length; counter++) {
        Mac mac = mac();
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(block);
        mac.update(info);
        mac.update((byte) counter);
        block = mac.doFinal();
        int n = Math.min(block.length, length - written);
        System.arraycopy(block, 0, out, written, n);
        written += n;
      }
      Arrays.fill(prk, (byte) 0);
      Arrays.fill(block, (byte) 0);
      return Secret.wrap(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** HMAC-SHA256 of {@code data} under a secret key; the key's bytes are wiped after use. */
  public static byte[] hmac(Secret key, byte[] data) {
    byte[] raw = key.bytes();
    try {
      return hmac(raw, data);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** HMAC-SHA256 of {@code data} under {@code key}. */
  public static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = mac();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** A fresh, uninitialised HMAC-SHA256. */
  private static Mac mac() {
    try {
      return (Mac) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newMac(); // a provider whose Mac cannot be cloned
    }
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
