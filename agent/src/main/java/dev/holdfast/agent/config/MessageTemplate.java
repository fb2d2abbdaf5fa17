package dev.holdfast.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with {@code {name}} placeholders, such as a GPIO input's message body. A placeholder is
 * a brace, a lower-case word and a brace; every other brace is literal, so a JSON body needs no
 * escaping. Placeholders are checked against the known names when the template is parsed, so a
 * typo is a configuration error and never a message with a literal {@code {nmae}} in it.
 */
public final class MessageTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)\\}");

  private final String text;
  /** Alternating: literal, placeholder name, literal, ... (always an odd count). */
  private final List<String> parts;

  private MessageTemplate(String text, List<String> parts) {
    this.text = text;
    this.parts = parts;
  }

  /** @throws IllegalArgumentException naming the unknown placeholder and the known ones */
  public static MessageTemplate parse(String text, Set<String> known) {
    Objects.requireNonNull(text, "text");
    List<String> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    int from = 0;
    while (m.find()) {
      if (!known.contains(m.group(1))) {
        throw new IllegalArgumentException("a text whose placeholders are among " + known.stream().sorted()
            .map(k -> "{" + k + "}").toList() + " (found {" + m.group(1) + "})");
      }
      parts.add(text.substring(from, m.start()));
      parts.add(m.group(1));
      from = m.end();
    }
    parts.add(text.substring(from));
    return new MessageTemplate(text, List.copyOf(parts));
  }

  /** The text with each placeholder replaced by its value (every placeholder must have one). */
  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder(text.length() + 32);
    for (int i = 0; i < parts.size(); i++) {
      if (i % 2 == 0) {
        out.append(parts.get(i));
      } else {
        String value = values.get(parts.get(i));
        if (value == null) {
          throw new IllegalArgumentException("no value for {" + parts.get(i) + "}");
        }
        out.append(value);
      }
    }
    return out.toString();
  }

  /** The literal text outside the placeholders. */
  public String literals() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.size(); i += 2) {
      out.append(parts.get(i));
    }
    return out.toString();
  }

  /** The template as written. */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageTemplate t && t.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
