package dev.holdfast.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @ParameterizedTest(name = "Retry-After: {0} -> {1} s")
  @CsvSource(delimiter = '|', value = {
      "120                            | 120",
      "0                              | 0",
      " 17                            | 17",
      "Thu, 01 Jan 2026 00:01:30 GMT  | 90",
      "Thu, 1 Jan 2026 02:00:00 GMT   | 7200",
  })
  void isReadAsSecondsOrAsAnHttpDate(String header, long seconds) {
    assertThat(RetryAfter.parse(header, NOW)).contains(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "Retry-After: {0} is ignored")
  @CsvSource(delimiter = '|', value = {
      "soon",
      "-5",
      "1.5",
      "Wed, 31 Dec 2025 23:59:00 GMT",
      "99999999999",
      "''",
  })
  void garbageAndDatesInThePastAreIgnored(String header) {
    assertThat(RetryAfter.parse(header, NOW)).isEmpty();
  }

  @Test
  void noHeaderIsNoWait() {
    assertThat(RetryAfter.parse(Optional.empty(), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of("3"), NOW)).contains(Duration.ofSeconds(3));
  }
}
