package dev.holdfast.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @ParameterizedTest(name = "Retry-After: {0} -> {1} s")
  @CsvSource(delimiter = '|', value = {
      "45|45", "0|0", " 3600 |3600",
      "Thu, 01 Jan 2026 00:00:10 GMT|10",
      "Thu, 1 Jan 2026 02:00:00 GMT|7200",
  })
  void isReadAsDeltaSecondsOrAsAnHttpDateFromNow(String header, long seconds) {
    assertThat(RetryAfter.parse(header, NOW)).contains(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "Retry-After: ''{0}'' gives no wait")
  @ValueSource(strings = {"later", "-1", "2.5", "Wed, 31 Dec 2025 00:00:00 GMT", "1234567890", "", "10s"})
  void anythingElseAndADateInThePastGiveNoWait(String header) {
    assertThat(RetryAfter.parse(header, NOW)).isEmpty();
  }

  @Test
  void noHeaderIsNoWait() {
    assertThat(RetryAfter.parse(Optional.empty(), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of("3"), NOW)).contains(Duration.ofSeconds(3));
  }
}
