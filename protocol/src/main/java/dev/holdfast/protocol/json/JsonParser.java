package dev.holdfast.protocol.json;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses one JSON text (RFC 8259) into {@link Map} (insertion-ordered), {@link List}, {@link
 * String}, {@link BigDecimal}, {@link Boolean} or {@code null}. Strict: no comments, no trailing
 * commas, no duplicate keys, nesting at most 64 deep, no unpaired surrogate (escaped or not), a
 * {@code \\u} escape exactly four hex digits, numbers at most {@value #MAX_NUMBER_CHARS} characters
 * with at most {@value #MAX_DIGITS} significant digits and an exponent within ±{@value #MAX_EXPONENT}
 * (so whatever parses, {@link Json} writes back as text that parses again), and bytes only when they
 * are well-formed UTF-8.
 *
 * <p>Why the number limits: the text comes from devices, the network and local users, and a
 * {@link BigDecimal} of a 300,000-digit number takes seconds to build, while {@code 1e999999999}
 * costs nothing to parse and everything to turn into an integer later.
 */
public final class JsonParser {
  private static final int MAX_DEPTH = 64;
  /** The longest number accepted, in characters (sign, digits, point and exponent included). */
  public static final int MAX_NUMBER_CHARS = 128;
  /** The most significant digits a number may have. */
  public static final int MAX_DIGITS = 100;
  /**
   * The largest exponent accepted, of the number in scientific notation ({@code 1234e5} is
   * {@code 1.234E+8}: 8), which is how {@link Json} writes it back.
   */
  public static final int MAX_EXPONENT = 999;

  private final String text;
  private int pos;

  private JsonParser(String text) {
    this.text = text;
  }

  /** Thrown for text that is not JSON; the message gives the offset and what was expected. */
  public static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  /** Parses UTF-8 bytes; malformed UTF-8 (including encoded surrogates) is an error, never replaced. */
  public static Object parse(byte[] utf8) throws JsonException {
    return parse(decode(utf8));
  }

  /** Parses UTF-8 bytes holding a JSON object; anything else is an error. */
  public static Map<String, Object> parseObject(byte[] utf8) throws JsonException {
    return parseObject(decode(utf8));
  }

  /** Strict UTF-8: a byte sequence that is not UTF-8 is an error naming where it starts. */
  public static String decode(byte[] utf8) throws JsonException {
    ByteBuffer in = ByteBuffer.wrap(utf8);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
    } catch (CharacterCodingException e) {
      throw new JsonException("not UTF-8 text: malformed bytes at offset " + in.position());
    }
  }

  public static Object parse(String text) throws JsonException {
    JsonParser p = new JsonParser(text);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos != text.length()) {
      throw p.error("end of input");
    }
    return value;
  }

  /** Parses a JSON object; anything else is an error. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws JsonException {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new JsonException("expected a JSON object");
    }
    return (Map<String, Object>) value;
  }

  private JsonException error(String expected) {
    return new JsonException("invalid JSON at offset " + pos + ": expected " + expected);
  }

  private Object value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw new JsonException("JSON nested deeper than " + MAX_DEPTH);
    }
    if (pos >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Object literal(String word, Object value) throws JsonException {
    if (!text.startsWith(word, pos)) {
      throw error(word);
    }
    pos += word.length();
    return value;
  }

  private Map<String, Object> object(int depth) throws JsonException {
    Map<String, Object> out = new LinkedHashMap<>();
    pos++;
    skipWhitespace();
    if (peek('}')) {
      pos++;
      return out;
    }
    while (true) {
      skipWhitespace();
      if (!peek('"')) {
        throw error("a string key");
      }
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      if (out.containsKey(key)) {
        throw new JsonException("duplicate key \"" + key + "\" in JSON object");
      }
      out.put(key, value(depth + 1));
      skipWhitespace();
      if (peek(',')) {
        pos++;
      } else {
        expect('}');
        return out;
      }
    }
  }

  private List<Object> array(int depth) throws JsonException {
    List<Object> out = new ArrayList<>();
    pos++;
    skipWhitespace();
    if (peek(']')) {
      pos++;
      return out;
    }
    while (true) {
      skipWhitespace();
      out.add(value(depth + 1));
      skipWhitespace();
      if (peek(',')) {
        pos++;
      } else {
        expect(']');
        return out;
      }
    }
  }

  private String string() throws JsonException {
    pos++;
    StringBuilder out = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("no raw control character in a string");
      }
      if (Character.isSurrogate(c)) {
        pos--;
        surrogatePair(out, c, false);
        continue;
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          pos -= 2;
          char u = escapedChar();
          if (Character.isSurrogate(u)) {
            surrogatePair(out, u, true);
          } else {
            out.append(u);
          }
        }
        default -> throw error("a valid escape");
      }
    }
    throw error("closing quote");
  }

  /** Reads {@code \\uXXXX} at {@code pos}: exactly four hex digits, no sign, no space. */
  private char escapedChar() throws JsonException {
    if (pos + 6 > text.length() || text.charAt(pos) != '\\' || text.charAt(pos + 1) != 'u') {
      throw error("four hex digits");
    }
    int value = 0;
    for (int i = pos + 2; i < pos + 6; i++) {
      int digit = Character.digit(text.charAt(i), 16);
      if (digit < 0 || text.charAt(i) > 'f') {
        pos = i;
        throw error("four hex digits");
      }
      value = value * 16 + digit;
    }
    pos += 6;
    return (char) value;
  }

  /**
   * Appends a high surrogate at {@code pos} and the low one that must follow it, both raw or both
   * escaped. A lone surrogate would be encoded as {@code ?} wherever the string is written as
   * UTF-8 (signatures included), so two different strings would look the same.
   */
  private void surrogatePair(StringBuilder out, char first, boolean escaped) throws JsonException {
    int at = pos;
    if (!escaped) {
      pos++;
    }
    if (!Character.isHighSurrogate(first)) {
      pos = at;
      throw error("no lone low surrogate (a surrogate pair starts with \\ud800-\\udbff)");
    }
    char second;
    if (escaped) {
      if (!text.startsWith("\\u", pos)) {
        pos = at;
        throw error("a low surrogate escape after a high surrogate");
      }
      second = escapedChar();
    } else {
      second = pos < text.length() ? text.charAt(pos++) : 0;
    }
    if (!Character.isLowSurrogate(second)) {
      pos = at;
      throw error("a low surrogate after a high surrogate");
    }
    out.append(first).append(second);
  }

  private BigDecimal number() throws JsonException {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      if (pos - start == MAX_NUMBER_CHARS) {
        pos = start;
        throw new JsonException("invalid JSON at offset " + start + ": a number longer than "
            + MAX_NUMBER_CHARS + " characters");
      }
      pos++;
    }
    String n = text.substring(start, pos);
    if (!NUMBER.matcher(n).matches()) {
      pos = start;
      throw error("a value");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(n);
    } catch (NumberFormatException e) { // an exponent beyond an int
      value = null;
    }
    if (value == null || Math.abs((long) value.precision() - value.scale() - 1) > MAX_EXPONENT) {
      pos = start;
      throw new JsonException("invalid JSON at offset " + start + ": a number whose exponent is beyond ±"
          + MAX_EXPONENT);
    }
    if (value.precision() > MAX_DIGITS) {
      pos = start;
      throw new JsonException("invalid JSON at offset " + start + ": a number with more than " + MAX_DIGITS
          + " significant digits");
    }
    return value;
  }

  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) throws JsonException {
    if (!peek(c)) {
      throw error("'" + c + "'");
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }
}
