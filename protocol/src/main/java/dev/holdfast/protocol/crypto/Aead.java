package dev.holdfast.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message and caller-supplied associated data.
 *
 * <p>Sealed layout: {@code version(1) || nonce(12) || ciphertext || tag(16)}. The version byte is
 * part of the associated data, so it cannot be changed undetected. Random nonces are safe for far
 * more messages than one device or CA will ever seal under one key (the usual bound is 2^32).
 */
public final class Aead {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;
  public static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;
  private static final byte VERSION = 1;

  private final SecretKeySpec key;
  private final SecureRandom random;
  /**
   * One cipher object per thread, initialised afresh (new nonce) for every message: looking one
   * up by name costs more than sealing a small record.
   */
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  });

  public Aead(Secret key, SecureRandom random) {
    if (key.length() != KEY_BYTES) {
      throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key, got " + key.length());
    }
    byte[] raw = key.bytes();
    this.key = new SecretKeySpec(raw, "AES");
    Arrays.fill(raw, (byte) 0);
    this.random = random;
  }

  public byte[] seal(byte[] plaintext, byte[] associatedData) {
    byte[] out = new byte[OVERHEAD + plaintext.length];
    out[0] = VERSION;
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(new byte[] {VERSION});
      cipher.updateAAD(associatedData);
      cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_BYTES);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  public byte[] open(byte[] sealed, byte[] associatedData) throws AuthenticationFailedException {
    if (sealed.length < OVERHEAD) {
      throw new AuthenticationFailedException("sealed data too short: " + sealed.length + " bytes");
    }
    if (sealed[0] != VERSION) {
      throw new AuthenticationFailedException("unknown sealing version " + sealed[0]);
    }
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BYTES * 8, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(new byte[] {VERSION});
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new AuthenticationFailedException("authentication tag mismatch");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }
}
