package dev.holdfast.provisioning.support;

import java.util.random.RandomGenerator;

/** Base62 ({@code 0-9A-Za-z}): random strings and fixed-width numbers for tokens people copy. */
public final class Base62 {
  public static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private Base62() {}

  /** {@code length} characters drawn uniformly (no modulo bias: {@code nextInt(bound)} rejects). */
  public static String random(RandomGenerator random, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(out);
  }

  /** {@code value} (unsigned) as exactly {@code width} base62 digits, most significant first. */
  public static String fixedWidth(long value, int width) {
    char[] out = new char[width];
    long v = value;
    for (int i = width - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) Long.remainderUnsigned(v, 62));
      v = Long.divideUnsigned(v, 62);
    }
    return new String(out);
  }

  public static boolean isBase62(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (ALPHABET.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
