package dev.holdfast.provisioning.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsObjectsArraysStringsNumbersAndLiterals() throws Exception {
    Object v = Json.parse(" {\"to\":\"+1555\",\"n\":-1.5e2,\"ok\":true,\"x\":null,\"a\":[1,\"\\u00e9\\n\"]} ");

    assertThat(v).isEqualTo(Map.of("to", "+1555", "n", new BigDecimal("-1.5e2"), "ok", true, "x", Json.NULL,
        "a", List.of(new BigDecimal(1), "é\n")));
  }

  @Test
  void refusesDuplicateFieldsTrailingContentAndBadTokens() {
    for (String bad : new String[] {"{\"a\":1,\"a\":2}", "{} x", "{\"a\":tru}", "{\"a\":01}", "[1,]", "\"\u0001\"", "{"}) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.ParseException.class);
    }
  }

  @Test
  void writesEscapedStringsAndKeepsFieldOrder() {
    assertThat(Json.write(Json.object("b", "q\"\\\n\u0002", "a", List.of(1, false), "n", null)))
        .isEqualTo("{\"b\":\"q\\\"\\\\\\n\\u0002\",\"a\":[1,false],\"n\":null}");
  }
}
