package dev.holdfast.protocol.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;

/**
 * Seals a message to an EC P-256 public key so that only the holder of the private key can read
 * it (ECIES-style): a fresh ephemeral key pair per message, ECDH with the recipient's key, HKDF-
 * SHA256 over the shared secret bound to both public keys, then AES-256-GCM. Used to hand a
 * device its API key at enrollment: a proxy or a log on the way sees only ciphertext.
 *
 * <p>Wire format: {@code u16 length | ephemeral public key (X.509 SubjectPublicKeyInfo DER) |}
 * {@link Aead} output. The HKDF info is {@code "holdfast sealed-box v1"}, the salt is the
 * ephemeral key's DER followed by the recipient key's DER, and {@code associatedData} is passed to
 * AES-GCM unchanged, so a box sealed for one purpose cannot be opened as another.
 */
public final class SealedBox {
  private static final byte[] INFO = "holdfast sealed-box v1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_KEY_BYTES = 512;

  private SealedBox() {}

  public static byte[] seal(PublicKey recipient, byte[] plaintext, byte[] associatedData, SecureRandom random) {
    if (!P256.isP256(recipient)) {
      throw new IllegalArgumentException("sealed boxes need an EC P-256 public key");
    }
    KeyPair ephemeral = P256.generate(random);
    byte[] ephemeralDer = ephemeral.getPublic().getEncoded();
    Secret key = derive(ephemeral.getPrivate(), recipient, ephemeralDer, recipient.getEncoded());
    try {
      byte[] sealed = new Aead(key, random).seal(plaintext, associatedData);
      return ByteBuffer.allocate(2 + ephemeralDer.length + sealed.length)
          .putShort((short) ephemeralDer.length).put(ephemeralDer).put(sealed).array();
    } finally {
      key.destroy();
    }
  }

  /**
   * Opens a box sealed to {@code recipientPublic}; fails for a box sealed to another key, with
   * other associated data, or changed in any byte.
   */
  public static byte[] open(PrivateKey recipient, PublicKey recipientPublic, byte[] box, byte[] associatedData)
      throws AuthenticationFailedException {
    ByteBuffer in = ByteBuffer.wrap(box);
    if (box.length < 2) {
      throw new AuthenticationFailedException("sealed box too short");
    }
    int keyLength = Short.toUnsignedInt(in.getShort());
    if (keyLength > MAX_KEY_BYTES || keyLength > in.remaining()) {
      throw new AuthenticationFailedException("sealed box malformed");
    }
    byte[] ephemeralDer = new byte[keyLength];
    in.get(ephemeralDer);
    byte[] sealed = new byte[in.remaining()];
    in.get(sealed);
    Secret key;
    try {
      PublicKey ephemeral = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(ephemeralDer));
      key = derive(recipient, ephemeral, ephemeralDer, recipientPublic.getEncoded());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new AuthenticationFailedException("sealed box carries no valid P-256 key");
    }
    try {
      return new Aead(key, null).open(sealed, associatedData); // opening draws no randomness
    } finally {
      key.destroy();
    }
  }

  private static Secret derive(PrivateKey own, PublicKey peer, byte[] ephemeralDer, byte[] recipientDer) {
    Secret shared = P256.agree(own, peer);
    byte[] salt = ByteBuffer.allocate(ephemeralDer.length + recipientDer.length).put(ephemeralDer).put(recipientDer)
        .array();
    try {
      return Hkdf.derive(shared, salt, INFO, Aead.KEY_BYTES);
    } finally {
      shared.destroy();
    }
  }
}
