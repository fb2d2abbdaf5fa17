package dev.holdfast.provisioning.support;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader and a writer, enough for request bodies and {@code --json} output.
 * Objects read as {@link Map} (insertion order; a duplicate name is an error), arrays as {@link
 * List}, numbers as {@link BigDecimal}, {@code null} as {@link #NULL}. Nesting is bounded.
 */
public final class Json {
  /** JSON {@code null}, so maps never hold Java nulls. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private static final int MAX_DEPTH = 32;

  /** Malformed JSON; the message says where. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  public static Object parse(String text) throws ParseException {
    Json p = new Json(text);
    p.skipSpace();
    Object value = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw new ParseException("unexpected content after the JSON value at offset " + p.pos);
    }
    return value;
  }

  private Object value(int depth) throws ParseException {
    if (depth > MAX_DEPTH) {
      throw new ParseException("JSON nested deeper than " + MAX_DEPTH);
    }
    if (pos >= text.length()) {
      throw new ParseException("unexpected end of JSON");
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
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new ParseException("unexpected character '" + c + "' at offset " + pos);
    }
  }

  private Map<String, Object> object(int depth) throws ParseException {
    pos++;
    Map<String, Object> out = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return out;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw new ParseException("expected a field name at offset " + pos);
      }
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      if (out.put(name, value(depth + 1)) != null) {
        throw new ParseException("duplicate field \"" + name + "\"");
      }
      skipSpace();
      char c = next();
      if (c == '}') {
        return out;
      }
      if (c != ',') {
        throw new ParseException("expected ',' or '}' at offset " + (pos - 1));
      }
    }
  }

  private List<Object> array(int depth) throws ParseException {
    pos++;
    List<Object> out = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return out;
    }
    while (true) {
      skipSpace();
      out.add(value(depth + 1));
      skipSpace();
      char c = next();
      if (c == ']') {
        return out;
      }
      if (c != ',') {
        throw new ParseException("expected ',' or ']' at offset " + (pos - 1));
      }
    }
  }

  private String string() throws ParseException {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new ParseException("control character in a string at offset " + (pos - 1));
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"':
        case '\\':
        case '/':
          sb.append(e);
          break;
        case 'b':
          sb.append('\b');
          break;
        case 'f':
          sb.append('\f');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'u':
          if (pos + 4 > text.length()) {
            throw new ParseException("truncated \\u escape");
          }
          try {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw new ParseException("bad \\u escape at offset " + pos);
          }
          pos += 4;
          break;
        default:
          throw new ParseException("bad escape '\\" + e + "' at offset " + (pos - 1));
      }
    }
  }

  private BigDecimal number() throws ParseException {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    String n = text.substring(start, pos);
    if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw new ParseException("bad number '" + n + "' at offset " + start);
    }
    return new BigDecimal(n);
  }

  private Object literal(String word, Object value) throws ParseException {
    if (!text.startsWith(word, pos)) {
      throw new ParseException("unexpected token at offset " + pos);
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws ParseException {
    if (next() != c) {
      throw new ParseException("expected '" + c + "' at offset " + (pos - 1));
    }
  }

  private char next() throws ParseException {
    if (pos >= text.length()) {
      throw new ParseException("unexpected end of JSON");
    }
    return text.charAt(pos++);
  }

  private char peek() throws ParseException {
    if (pos >= text.length()) {
      throw new ParseException("unexpected end of JSON");
    }
    return text.charAt(pos);
  }

  private void skipSpace() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  /**
   * Writes maps, lists, strings, numbers, booleans, {@link #NULL} or Java null; anything else is
   * written as its {@code toString()} in quotes (instants, enums, durations).
   */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  /** An object from alternating names and values, keeping their order. */
  public static Map<String, Object> object(Object... namesAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  private static void write(StringBuilder sb, Object value) {
    if (value == null || value == NULL) {
      sb.append("null");
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, String.valueOf(e.getKey()));
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (value instanceof Iterable<?> list) {
      sb.append('[');
      boolean first = true;
      for (Object o : list) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(sb, o);
      }
      sb.append(']');
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else {
      quote(sb, value.toString());
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
