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

  @ParameterizedTest
  @ValueSource(strings = {"\"\\u+041\"", "\"\\u-041\"", "\"\\u 041\"", "\"\\u04g1\"", "\"\\u041\""})
  void refusesAUnicodeEscapeThatIsNotExactlyFourHexDigits(String text) {
    assertThatThrownBy(() -> JsonParser.parse(text)).isInstanceOf(JsonParser.JsonException.class)
        .hasMessageContaining("four hex digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\\ud800\"", "\"\\udc00\"", "\"a\\ud83d\"", "\"\\ud83dx\"", "\"\\ud83d\\u0041\"",
      "\"\\ude00\\ud83d\""})
  void refusesALoneSurrogateEscape(String text) {
    assertThatThrownBy(() -> JsonParser.parse(text)).isInstanceOf(JsonParser.JsonException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void refusesALoneSurrogateInTextGivenAsAJavaString() {
    assertThatThrownBy(() -> JsonParser.parse("\"a\ud800b\"")).isInstanceOf(JsonParser.JsonException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void acceptsASurrogatePairWrittenAsTwoEscapesOrAsItself() throws Exception {
    assertThat(JsonParser.parse("\"\\ud83d\\ude00\"")).isEqualTo("\ud83d\ude00");
    assertThat(JsonParser.parse("\"\ud83d\ude00\"")).isEqualTo("\ud83d\ude00");
  }

  @Test
  void refusesANumberLongerThanTheCapWithoutParsingIt() {
    String huge = "1".repeat(300_000);
    assertThatThrownBy(() -> JsonParser.parse(huge)).isInstanceOf(JsonParser.JsonException.class)
        .hasMessageContaining("longer than " + JsonParser.MAX_NUMBER_CHARS);
    assertThatThrownBy(() -> JsonParser.parse("[0." + "0".repeat(JsonParser.MAX_NUMBER_CHARS) + "]"))
        .isInstanceOf(JsonParser.JsonException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e1000", "1e-1000", "1e99999999999", "-2E+2147483648", "12e999", "0.01e-998"})
  void refusesAnExponentOutsideTheRangeNumbersAreAllowed(String text) {
    assertThatThrownBy(() -> JsonParser.parse(text)).isInstanceOf(JsonParser.JsonException.class)
        .hasMessageContaining("exponent");
  }

  @Test
  void acceptsNumbersUpToTheCaps() throws Exception {
    assertThat(JsonParser.parse("-12.5e+3")).isEqualTo(new BigDecimal("-12.5e+3"));
    assertThat(JsonParser.parse("1e999")).isEqualTo(new BigDecimal("1e999"));
    assertThat(JsonParser.parse("1234e-1002")).isEqualTo(new BigDecimal("1.234e-999"));
    String most = "9".repeat(JsonParser.MAX_DIGITS);
    assertThat(JsonParser.parse(most)).isEqualTo(new BigDecimal(most));
    assertThatThrownBy(() -> JsonParser.parse(most + "9")).hasMessageContaining("significant digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-9.999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999e-999",
      "0.000000123", "123456789e990", "-0.0", "1E+3", "4294967297"})
  void everyNumberItAcceptsIsWrittenBackAsTextItAcceptsAgain(String text) throws Exception {
    Object value = JsonParser.parse(text);
    assertThat(JsonParser.parse(Json.write(value))).isEqualTo(value);
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedNotReplaced() {
    byte[] latin1 = {'"', (byte) 0xe9, '"'};
    assertThatThrownBy(() -> JsonParser.parse(latin1)).isInstanceOf(JsonParser.JsonException.class)
        .hasMessageContaining("not UTF-8");
    byte[] encodedSurrogate = {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'};
    assertThatThrownBy(() -> JsonParser.parse(encodedSurrogate)).isInstanceOf(JsonParser.JsonException.class)
        .hasMessageContaining("not UTF-8");
    assertThatThrownBy(() -> JsonParser.parseObject(new byte[] {'{', (byte) 0xff, '}'}))
        .isInstanceOf(JsonParser.JsonException.class).hasMessageContaining("not UTF-8");
  }

  @Test
  void parsesUtf8Bytes() throws Exception {
    assertThat(JsonParser.parseObject("{\"a\":\"é😀\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .containsEntry("a", "é😀");
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
