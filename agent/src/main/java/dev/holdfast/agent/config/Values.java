package dev.holdfast.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for configuration and option values; each message says what is allowed. */
public final class Values {
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})(B|KiB|MiB|GiB)?");

  private Values() {}

  /** "4096", "64KiB", "16MiB", "1GiB". */
  public static long size(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("a size such as 65536, 64KiB, 16MiB or 1GiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    return switch (unit) {
      case "KiB" -> n << 10;
      case "MiB" -> n << 20;
      case "GiB" -> n << 30;
      default -> n;
    };
  }

  public static int positiveInt(String text, int max) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("a whole number from 1 to " + max);
  }

  public static Path absolutePath(String text, String what) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException(what);
    }
    try {
      return Path.of(text).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException(what);
    }
  }

  /** An absolute http or https URL with a host. */
  public static URI httpUrl(String text) {
    return url(text, List.of("http", "https"), "an http:// or https:// URL with a host");
  }

  /** An absolute https URL with a host (the fleet's own server: TLS to the pinned root, never plain). */
  public static URI httpsUrl(String text) {
    return url(text, List.of("https"), "an https:// URL with a host");
  }

  /** An absolute URL with a host and one of {@code schemes}; else {@code what} is the refusal. */
  private static URI url(String text, List<String> schemes, String what) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (schemes.contains(scheme) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // fall through
    }
    throw new IllegalArgumentException(what);
  }

  public static <E extends Enum<E>> E oneOf(String text, Class<E> type) {
    for (E e : type.getEnumConstants()) {
      if (e.name().replace('_', '-').equalsIgnoreCase(text)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder("one of ");
    for (E e : type.getEnumConstants()) {
      allowed.append(allowed.length() > 7 ? ", " : "").append(e.name().replace('_', '-').toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException(allowed.toString());
  }

  /** A name as systemd credentials and vault secrets take it. */
  public static String name(String text) {
    if (!text.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new IllegalArgumentException("a name of letters, digits, '.', '_' and '-'");
    }
    return text;
  }
}
