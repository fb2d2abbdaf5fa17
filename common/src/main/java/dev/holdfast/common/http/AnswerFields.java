package dev.holdfast.common.http;

import dev.holdfast.protocol.json.JsonParser;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** One top-level field of a JSON answer (a message id, an error code), never the rest of it. */
public final class AnswerFields {
  private AnswerFields() {}

  /** The field's value as text, if {@code body} is a JSON object that has it; numbers in plain form. */
  public static Optional<String> of(String body, String name) {
    try {
      if (JsonParser.parse(body) instanceof Map<?, ?> m && m.get(name) != null) {
        Object v = m.get(name);
        return Optional.of(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
      }
    } catch (JsonParser.JsonException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
