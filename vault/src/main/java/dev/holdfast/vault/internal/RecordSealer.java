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
 * Seals vault records. Three subkeys come from the master key by HKDF: one for AES-256-GCM, one for
 * the HMAC that stands in for hidden record keys, one for the store-wide {@link Manifest}.
 *
 * <p>Format 2 (written since the store-wide check): a sealed record is the 8-byte generation of
 * the commit that wrote it, in clear, then the AES-GCM box whose associated data is {@code
 * "holdfast/vault/v2" 0 collection 0 storedKey 0 generation}: a record copied to another key or
 * collection, or given another generation, no longer opens. Format 1 (read only, until the first
 * write upgrades the vault) has no generation and the associated data {@code "holdfast/vault/v1" 0
 * collection 0 storedKey}. For hidden keys the plaintext is {@code keyLength(4) key value};
 * otherwise just the value.
 */
public final class RecordSealer {
  private static final byte[] DOMAIN = "holdfast/vault/v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DOMAIN_V2 = "holdfast/vault/v2".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_CHECK = "holdfast vault key check".getBytes(StandardCharsets.US_ASCII);
  /** Bytes of the generation in front of a format-2 record. */
  public static final int HEADER = 8;

  private final Aead aead;
  private final byte[] indexKey;
  private final byte[] manifestKey;

  public RecordSealer(Secret masterKey, SecureRandom random) {
    Secret sealKey = Hkdf.derive(masterKey, DOMAIN, bytes("seal"), 32);
    Secret index = Hkdf.derive(masterKey, DOMAIN, bytes("index"), 32);
    Secret manifest = Hkdf.derive(masterKey, DOMAIN_V2, bytes("manifest"), 32);
    this.aead = new Aead(sealKey, random);
    this.indexKey = index.bytes();
    this.manifestKey = manifest.bytes();
    sealKey.destroy();
    index.destroy();
    manifest.destroy();
  }

  /** A record in the clear: its real key and value. */
  public record Opened(byte[] key, byte[] value) {}

  public byte[] storedKey(String collection, boolean hidden, byte[] key) {
    if (!hidden) {
      return key.clone();
    }
    return Hkdf.hmac(indexKey, concat(bytes(collection), new byte[] {0}, key));
  }

  /** Seals a record written by the commit of {@code generation} (format 2). */
  public byte[] seal(String collection, boolean hidden, byte[] key, byte[] value, long generation) {
    byte[] storedKey = storedKey(collection, hidden, key);
    byte[] plain = hidden ? ByteBuffer.allocate(4 + key.length + value.length)
        .putInt(key.length).put(key).put(value).array() : value;
    byte[] box = aead.seal(plain, aadV2(collection, storedKey, generation));
    if (hidden) {
      Arrays.fill(plain, (byte) 0);
    }
    return ByteBuffer.allocate(HEADER + box.length).putLong(generation).put(box).array();
  }

  /** The generation a format-2 record claims (its header, not yet authenticated). */
  public static long generationOf(byte[] sealed) throws AuthenticationFailedException {
    if (sealed.length < HEADER) {
      throw new AuthenticationFailedException("record shorter than its header");
    }
    return ByteBuffer.wrap(sealed, 0, HEADER).getLong();
  }

  /** Opens a format-2 record and checks it belongs where it was found, with the generation it claims. */
  public Opened open(String collection, boolean hidden, byte[] storedKey, byte[] sealed)
      throws AuthenticationFailedException {
    long generation = generationOf(sealed);
    byte[] plain = aead.open(Arrays.copyOfRange(sealed, HEADER, sealed.length),
        aadV2(collection, storedKey, generation));
    return opened(collection, hidden, storedKey, plain);
  }

  /** Opens a format-1 record (a vault not yet upgraded). */
  public Opened openFormat1(String collection, boolean hidden, byte[] storedKey, byte[] sealed)
      throws AuthenticationFailedException {
    byte[] plain = aead.open(sealed, concat(DOMAIN, new byte[] {0}, bytes(collection), new byte[] {0}, storedKey));
    return opened(collection, hidden, storedKey, plain);
  }

  private Opened opened(String collection, boolean hidden, byte[] storedKey, byte[] plain)
      throws AuthenticationFailedException {
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

  /**
   * What one record adds to its collection's digest in the {@link Manifest}: a MAC of where it is
   * and which commit wrote it, so that nobody without the key can make the sums agree.
   */
  public byte[] term(String storedName, byte[] storedKey, long generation) {
    return Hkdf.hmac(manifestKey, concat(bytes(storedName), new byte[] {0}, storedKey,
        ByteBuffer.allocate(8).putLong(generation).array()));
  }

  /** The key check of a format-2 vault; a format-1 check does not open as one, nor the other way round. */
  public byte[] sealKeyCheck() {
    return aead.seal(KEY_CHECK, aad("meta", bytes("key-check-v2")));
  }

  public boolean keyCheckOpens(byte[] sealed) {
    return opens(sealed, aad("meta", bytes("key-check-v2")));
  }

  public boolean format1KeyCheckOpens(byte[] sealed) {
    return opens(sealed, aad("meta", bytes("key-check")));
  }

  private boolean opens(byte[] sealed, byte[] aad) {
    try {
      return Arrays.equals(aead.open(sealed, aad), KEY_CHECK);
    } catch (AuthenticationFailedException e) {
      return false;
    }
  }

  public byte[] sealManifest(byte[] plain) {
    return aead.seal(plain, aad("meta", bytes("manifest")));
  }

  public byte[] openManifest(byte[] sealed) throws AuthenticationFailedException {
    return aead.open(sealed, aad("meta", bytes("manifest")));
  }

  public void destroy() {
    Arrays.fill(indexKey, (byte) 0);
    Arrays.fill(manifestKey, (byte) 0);
  }

  private static byte[] aad(String collection, byte[] storedKey) {
    return concat(DOMAIN, new byte[] {0}, bytes(collection), new byte[] {0}, storedKey);
  }

  private static byte[] aadV2(String collection, byte[] storedKey, long generation) {
    return concat(DOMAIN_V2, new byte[] {0}, bytes(collection), new byte[] {0}, storedKey, new byte[] {0},
        ByteBuffer.allocate(8).putLong(generation).array());
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
