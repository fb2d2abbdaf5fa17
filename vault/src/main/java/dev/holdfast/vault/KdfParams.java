package dev.holdfast.vault;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * Argon2id parameters and the salt for turning a passphrase into the master key. Stored in clear in
 * the vault (they are not secret), so a vault always opens with the parameters it was made with.
 */
public record KdfParams(byte[] salt, int memoryKib, int iterations, int parallelism) {
  /** 64 MiB, 3 passes, 1 lane: RFC 9106's second recommended option, fine on a 512 MB board. */
  public static final int DEFAULT_MEMORY_KIB = 64 * 1024;

  public static final int DEFAULT_ITERATIONS = 3;

  public KdfParams {
    salt = salt.clone();
    if (salt.length < 16) {
      throw new IllegalArgumentException("salt must be at least 16 bytes");
    }
    if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
      throw new IllegalArgumentException("invalid Argon2id parameters");
    }
  }

  public static KdfParams fresh(SecureRandom random) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return new KdfParams(salt, DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, 1);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  public byte[] encode() {
    return ByteBuffer.allocate(1 + 12 + 1 + salt.length)
        .put((byte) 1)
        .putInt(memoryKib)
        .putInt(iterations)
        .putInt(parallelism)
        .put((byte) salt.length)
        .put(salt)
        .array();
  }

  public static KdfParams decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.get() != 1) {
      throw new IllegalArgumentException("unknown KDF parameter format");
    }
    int memory = b.getInt();
    int iterations = b.getInt();
    int parallelism = b.getInt();
    byte[] salt = new byte[b.get()];
    b.get(salt);
    return new KdfParams(salt, memory, iterations, parallelism);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KdfParams k
        && java.util.Arrays.equals(salt, k.salt)
        && memoryKib == k.memoryKib
        && iterations == k.iterations
        && parallelism == k.parallelism;
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(salt) * 31 + memoryKib;
  }

  @Override
  public String toString() {
    return "Argon2id(m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism + ")";
  }
}
