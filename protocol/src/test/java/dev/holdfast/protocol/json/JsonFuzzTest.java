package dev.holdfast.protocol.json;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The JSON parser against any bytes: every input is refused with a {@link JsonParser.JsonException}
 * or parses to a value that {@link Json} writes back as text that parses to the same value. Any
 * other exception, a value that does not survive its own JSON, or a hang is a finding.
 *
 * <p>{@code ./mvnw verify} replays the committed corpus in {@code src/test/resources/.../JsonFuzzTestInputs};
 * {@code bench/run fuzz json} fuzzes (docs/fuzzing.md).
 */
class JsonFuzzTest {
  @FuzzTest
  void anyBytesAreRefusedOrParseToAValueThatSurvivesItsOwnJson(byte[] input) throws JsonParser.JsonException {
    Object value;
    try {
      value = JsonParser.parse(input);
    } catch (JsonParser.JsonException refused) {
      return;
    }
    String written = Json.write(value);
    Object again = JsonParser.parse(written);
    if (!java.util.Objects.equals(again, value)) {
      throw new AssertionError("parsed " + value + ", wrote " + written + ", which parses to " + again);
    }
  }
}
