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

  @Test
  void escapesLineAndParagraphSeparatorsSoTheOutputIsSafeInJavaScript() {
    assertThat(Json.write("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"");
  }

  @Test
  void buildsOrderedObjectsFromPairsAndWritesAnyIterableAsAnArray() {
    assertThat(Json.write(Json.object("z", 1, "a", java.util.Set.of("only"))))
        .isEqualTo("{\"z\":1,\"a\":[\"only\"]}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.object("odd"))
        .hasMessageContaining("pairs");
  }

  @Test
  void writesOtherValuesAsTheirTextInQuotes() {
    assertThat(Json.write(java.time.Duration.ofSeconds(90))).isEqualTo("\"PT1M30S\"");
  }
}
