package dev.holdfast.vault;

import dev.holdfast.protocol.crypto.Secret;
import java.util.Arrays;

/** Named key fixtures for tests. */
final class TestKeys {
  private TestKeys() {}

  static MasterKeySource key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return MasterKeySource.ofKey(Secret.wrap(k), "test key " + fill);
  }

  static MasterKeySource first() {
    return key(1);
  }

  static MasterKeySource second() {
    return key(2);
  }
}
