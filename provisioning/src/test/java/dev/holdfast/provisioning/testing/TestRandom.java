package dev.holdfast.provisioning.testing;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Deterministic randomness for tests: the same seed gives the same keys, ids and serials. */
public final class TestRandom {
  private TestRandom() {}

  public static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
