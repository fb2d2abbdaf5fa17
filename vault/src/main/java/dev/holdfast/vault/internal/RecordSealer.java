package dev.holdfast.vault.internal;

import dev.holdfast.protocol.crypto.Aead;
import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.protocol.crypto.Hkdf;
import dev.holdfast.protocol.crypto.Secret;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Seals vault records. Two subkeys come from the master key by HKDF: one for AES-256-GCM, one for
 * the HMAC that stands in for hidden record keys. Every record's associated data is {@code
 * "holdfast/vault/v1" 0 collection 0 storedKey}, so a record copied to another key or collection
 * no longer opens. For hidden keys the plaintext is {@code keyLength(4) key value}; otherwise
 * just the value.
 */
public final class RecordSealer {
  private static final byte[] DOMAIN = "holdfast/vault/v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_CHECK = "holdfast vault key check".getBytes(StandardCharsets.US_ASCII);

  private final Aead aead;
  private final byte[] indexKey;

  public RecordSealer(Secret masterKey, SecureRandom random) {
    Secret sealKey = Hkdf.derive(masterKey, DOMAIN, bytes("seal"), 32);
    Secret index = Hkdf.derive(masterKey, DOMAIN, bytes("index"), 32);
    this.aead = new Aead(sealKey, random);
    this.indexKey = index.bytes();
    sealKey.destroy();
    index.destroy();
  }

  /** A record in the clear: its real key and value. */
  public record Opened(byte[] key, byte[] value) {}

  public byte[] storedKey(String collection, boolean hidden, byte[] key) {
    if (!hidden) {
      return key.clone();
    }
    return Hkdf.hmac(indexKey, concat(bytes(collection), new byte[] {0}, key));
  }

  public byte[] seal(String collection, boolean hidden, byte[] key, byte[] value) {
    byte[] storedKey = storedKey(collection, hidden, key);
    byte[] plain = hidden ? ByteBuffer.allocate(4 + key.length + value.length)
        .putInt(key.length).put(key).put(value).array() : value;
    byte[] sealed = aead.seal(plain, aad(collection, storedKey));
    if (hidden) {
      Arrays.fill(plain, (byte) 0);
    }
    return sealed;
  }

  /** Opens a record and checks it belongs where it was found. */
  public Opened open(String collection, boolean hidden, byte[] storedKey, byte[] sealed)
      throws AuthenticationFailedException {
    byte[] plain = aead.open(sealed, aad(collection, storedKey));
    if (!hidden) {
      return new Opened(storedKey.clone(), plain);
    }
    ByteBuffer b = ByteBuffer.wrap(plain);
    int keyLength = plain.length >= 4 ? b.getInt() : -1;
    if (keyLength < 0 || keyLength > plain.length - 4) {
      throw new AuthenticationFailedException("malformed hidden-key record");
    }
    byte[] key = new byte[keyLength];
    b.get(key);
    byte[] value = new byte[b.remaining()];
    b.get(value);
    Arrays.fill(plain, (byte) 0);
    if (!MessageDigest.isEqual(storedKey(collection, true, key), storedKey)) {
      throw new AuthenticationFailedException("record key does not match its slot");
    }
    return new Opened(key, value);
  }

  public byte[] sealKeyCheck() {
    return aead.seal(KEY_CHECK, aad("meta", bytes("key-check")));
  }

  public boolean keyCheckOpens(byte[] sealed) {
    try {
      return Arrays.equals(aead.open(sealed, aad("meta", bytes("key-check"))), KEY_CHECK);
    } catch (AuthenticationFailedException e) {
      return false;
    }
  }

  public void destroy() {
    Arrays.fill(indexKey, (byte) 0);
  }

  private static byte[] aad(String collection, byte[] storedKey) {
    return concat(DOMAIN, new byte[] {0}, bytes(collection), new byte[] {0}, storedKey);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "RecordSealer[redacted]";
  }
}
