package dev.holdfast.vault;

import dev.holdfast.protocol.crypto.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Where the vault's 256-bit master key comes from. {@link #origin()} names it, never shows it. */
public interface MasterKeySource {
  /** The master key for a vault made with {@code params} (only a passphrase needs them). */
  Secret masterKey(KdfParams params);

  /** Human-readable origin, e.g. "key file /etc/holdfast/store.key". */
  String origin();

  /** A ready 256-bit key: a systemd credential or a key file. */
  static MasterKeySource ofKey(Secret key, String origin) {
    if (key.length() != 32) {
      throw new IllegalArgumentException("a vault key is 32 bytes");
    }
    return new MasterKeySource() {
      @Override
      public Secret masterKey(KdfParams params) {
        return Secret.copyOf(key.bytes());
      }

      @Override
      public String origin() {
        return origin;
      }

      @Override
      public String toString() {
        return "MasterKeySource[" + origin + "]";
      }
    };
  }

  /** A passphrase stretched with Argon2id; for development machines only. */
  static MasterKeySource ofPassphrase(char[] passphrase, String origin) {
    java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(passphrase));
    byte[] utf8 = new byte[encoded.remaining()];
    encoded.get(utf8);
    Arrays.fill(encoded.array(), (byte) 0);
    Secret secret = Secret.wrap(utf8);
    return new MasterKeySource() {
      @Override
      public Secret masterKey(KdfParams params) {
        Argon2BytesGenerator argon = new Argon2BytesGenerator();
        argon.init(
            new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(params.salt())
                .withMemoryAsKB(params.memoryKib())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .build());
        byte[] out = new byte[32];
        byte[] pass = secret.bytes();
        argon.generateBytes(pass, out);
        Arrays.fill(pass, (byte) 0);
        return Secret.wrap(out);
      }

      @Override
      public String origin() {
        return origin;
      }

      @Override
      public String toString() {
        return "MasterKeySource[" + origin + "]";
      }
    };
  }
}
