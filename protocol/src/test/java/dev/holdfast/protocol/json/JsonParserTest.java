package dev.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParserTest {
  @Test
  void parsesWhatTheWriterWrites() throws Exception {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("op", "send");
    m.put("n", 12);
    m.put("list", List.of(true, false, "é\n\"x\""));
    m.put("none", null);
    assertThat(JsonParser.parseObject(Json.write(m))).containsEntry("op", "send")
        .containsEntry("n", new BigDecimal(12)).containsEntry("none", null)
        .containsEntry("list", List.of(true, false, "é\n\"x\""));
  }

  @Test
  void decodesUnicodeEscapes() throws Exception {
    assertThat(JsonParser.parse("\"\\u00e9\\u0041\"")).isEqualTo("éA");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "01", "tru", "\"a", "{\"a\":1}x",
      "{\"a\":1,\"a\":2}", "\"\u0001\"", "[1 2]"})
  void rejectsTextThatIsNotStrictJson(String text) {
    assertThatThrownBy(() -> JsonParser.parse(text)).isInstanceOf(JsonParser.JsonException.class);
  }

  @Test
  void rejectsDeepNesting() {
    assertThatThrownBy(() -> JsonParser.parse("[".repeat(100) + "]".repeat(100)))
        .hasMessageContaining("deeper than 64");
  }

  @Test
  void parseObjectRefusesAnArray() {
    assertThatThrownBy(() -> JsonParser.parseObject("[]")).hasMessageContaining("expected a JSON object");
  }
}
