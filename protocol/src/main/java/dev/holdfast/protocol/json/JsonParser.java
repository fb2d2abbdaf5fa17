package dev.holdfast.protocol.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one JSON text (RFC 8259) into {@link Map} (insertion-ordered), {@link List}, {@link
 * String}, {@link BigDecimal}, {@link Boolean} or {@code null}. Strict: no comments, no trailing
 * commas, no duplicate keys, nesting at most 64 deep.
 */
public final class JsonParser {
  private static final int MAX_DEPTH = 64;

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
          if (pos + 4 > text.length()) {
            throw error("four hex digits");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("four hex digits");
          }
          pos += 4;
        }
        default -> throw error("a valid escape");
      }
    }
    throw error("closing quote");
  }

  private BigDecimal number() throws JsonException {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    String n = text.substring(start, pos);
    if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      pos = start;
      throw error("a value");
    }
    return new BigDecimal(n);
  }

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
