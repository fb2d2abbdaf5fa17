package dev.holdfast.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "500ms, PT0.5S",
      "0ms,   PT0S",
      "90s,   PT1M30S",
      "15m,   PT15M",
      "24h,   PT24H",
      "30d,   PT720H",
      "PT36H, PT36H",
      "' 7d ', PT168H",
  })
  void readsEveryUnitFromMillisecondsToDaysAndIso8601(String text, String expected) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @ValueSource(strings = {"3 weeks", "3", "5w", "1.5h", "-1s", "", "ms", "1234567890s", "Pnonsense"})
  void refusesAnythingElseNamingTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a duration such as 500ms, 10s, 5m, 24h or 7d");
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
      "PT720H,  30d",
      "PT36H,   36h",
      "PT61S,   61s",
      "PT2M,    2m",
      "PT1.5S,  1500ms",
      "PT0S,    0s",
  })
  void writesTheLargestExactUnit(String duration, String expected) {
    assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} reads back")
  @ValueSource(strings = {"500ms", "90s", "15m", "36h", "30d"})
  void whatItWritesItReads(String text) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
  }
}
