package dev.holdfast.provisioning.ca;

import java.math.BigInteger;
import java.security.SecureRandom;

/** Random positive 128-bit certificate serials (CA/B Forum asks for at least 64 random bits). */
public final class SerialNumbers {
  private SerialNumbers() {}

  public static BigInteger random(SecureRandom random) {
    byte[] b = new byte[16];
    BigInteger serial;
    do {
      random.nextBytes(b);
      serial = new BigInteger(1, b);
    } while (serial.signum() == 0);
    return serial;
  }

  /** The registry's spelling of a serial: lower-case hex without leading zeros. */
  public static String hex(BigInteger serial) {
    return serial.toString(16);
  }

  /** Accepts hex with optional {@code 0x} and colons (as openssl prints it). */
  public static BigInteger parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace(":", "");
    if (t.startsWith("0x")) {
      t = t.substring(2);
    }
    if (t.isEmpty() || !t.matches("[0-9a-f]{1,40}")) {
      throw new IllegalArgumentException("not a certificate serial (hex): " + text);
    }
    return new BigInteger(t, 16);
  }
}
