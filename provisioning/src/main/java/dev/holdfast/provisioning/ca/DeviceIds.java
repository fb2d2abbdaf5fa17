package dev.holdfast.provisioning.ca;

import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Device ids: assigned by the service, used as certificate CN, MQTT user name and topic level, so
 * limited to lower-case letters, digits and dashes (no MQTT wildcards, no slashes).
 */
public final class DeviceIds {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{2,63}");
  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

  private DeviceIds() {}

  /** {@code dev-} and 16 Crockford base32 characters (80 random bits). */
  public static String random(RandomGenerator random) {
    StringBuilder sb = new StringBuilder("dev-");
    for (int i = 0; i < 16; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  public static String check(String id) throws CaException {
    if (id == null || !VALID.matcher(id).matches()) {
      throw new CaException(CaException.Reason.POLICY,
          "device id must be 3-64 characters of a-z, 0-9 and '-', starting with a letter or digit; got '"
              + id + "'");
    }
    return id;
  }
}
