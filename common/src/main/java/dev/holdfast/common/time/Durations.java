package dev.holdfast.common.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as both programs take them, in configuration files and on command lines: a whole number
 * and a unit, {@code 500ms}, {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d}; or ISO-8601 such as
 * {@code PT24H}. One grammar for both sides, so a value that works in one file works in the other.
 */
public final class Durations {
  /** What {@link #parse} accepts, for messages ("it must be ..."). */
  public static final String FORMS = "a duration such as 500ms, 10s, 5m, 24h or 7d";

  private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /** @throws IllegalArgumentException whose message is {@link #FORMS} */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.strip();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    if (t.startsWith("P")) {
      try {
        return Duration.parse(t);
      } catch (RuntimeException e) {
        // fall through to the one message
      }
    }
    throw new IllegalArgumentException(FORMS);
  }

  /** The shortest exact short form, e.g. {@code 30d}, {@code 36h}, {@code 90s}, {@code 1500ms}. */
  public static String format(Duration d) {
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    long ms = d.toMillis();
    if (ms % 1_000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1_000;
    if (s != 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s != 0 && s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
