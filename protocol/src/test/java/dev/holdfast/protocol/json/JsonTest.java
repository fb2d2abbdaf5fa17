package dev.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writesNestedValuesInIterationOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1);
    m.put("a", List.of(true, "x"));
    m.put("n", null);
    assertThat(Json.write(m)).isEqualTo("{\"b\":1,\"a\":[true,\"x\"],\"n\":null}");
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(Json.write("a\"b\\c\nd\u0001é")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001é\"");
  }
}
