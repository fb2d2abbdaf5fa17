package dev.holdfast.protocol.messages;

import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The device id rule of both sides. An id is the certificate's CN, the MQTT user name and client
 * id, and a topic level, so it is 3 to 64 lower-case letters, digits and dashes, starting with a
 * letter or digit: no MQTT wildcard, no slash, and no dot, so it can never be a service's or an
 * operator's CN ({@code holdfast.provisioning}, {@code holdfast.operator.NAME}). The service gives a
 * new device {@code dev-} and 16 random characters; an operator may name one ({@code pump-7}).
 */
public final class DeviceIds {
  /** Every valid device id matches this. */
  public static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{2,63}");
  /** The rule in words, for messages. */
  public static final String RULE = "3 to 64 of a-z, 0-9 and '-', starting with a letter or digit";

  /** Crockford's base32 alphabet in lower case: no i, l, o, u to misread. */
  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
  /** The ids {@link #random} makes (to find them in text); a subset of {@link #VALID}. */
  public static final Pattern ASSIGNED = Pattern.compile("dev-[" + ALPHABET + "]{16}");

  private DeviceIds() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** {@code dev-} and 16 random base32 characters (80 bits): what the service assigns. */
  public static String random(RandomGenerator random) {
    StringBuilder sb = new StringBuilder("dev-");
    for (int i = 0; i < 16; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
