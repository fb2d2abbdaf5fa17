package dev.holdfast.agent.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.testing.MutableClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HttpOutcomesTest {
  static final MutableClock CLOCK = MutableClock.atTheStartOf2026();

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
      "200, Delivered",
      "201, Delivered",
      "204, Delivered",
      "408, Retry",
      "429, Retry",
      "500, Retry",
      "502, Retry",
      "503, Retry",
      "504, Retry",
      "401, CredentialsRejected",
      "400, Permanent",
      "403, Permanent",
      "404, Permanent",
      "410, Permanent",
      "413, Permanent",
      "422, Permanent",
      "301, Permanent",
      "302, Permanent",
  })
  void eachStatusIsClassifiedAsTheContractSays(int status, String outcome) {
    DeliveryOutcome o = HttpOutcomes.ofStatus(status, Optional.empty(), CLOCK);
    assertThat(o.getClass().getSimpleName()).isEqualTo(outcome);
    assertThat(o.reason()).isEqualTo("HTTP " + status + (status / 100 == 3
        ? " (redirects are not followed; use the final URL)" : ""));
  }

  @ParameterizedTest(name = "Retry-After: {0} -> {1} s")
  @CsvSource(delimiter = '|', value = {
      "120                            | 120",
      "0                              | 0",
      "Thu, 01 Jan 2026 00:01:30 GMT  | 90",
  })
  void retryAfterIsReadAsSecondsOrAsAnHttpDate(String header, long seconds) {
    DeliveryOutcome o = HttpOutcomes.ofStatus(503, Optional.of(header), CLOCK);
    assertThat(((DeliveryOutcome.Retry) o).retryAfter()).contains(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "Retry-After: {0} is ignored")
  @CsvSource(delimiter = '|', value = {
      "soon",
      "-5",
      "1.5",
      "Wed, 31 Dec 2025 23:59:00 GMT",
      "99999999999",
  })
  void aRetryAfterThatIsGarbageOrInThePastIsIgnored(String header) {
    DeliveryOutcome o = HttpOutcomes.ofStatus(429, Optional.of(header), CLOCK);
    assertThat(((DeliveryOutcome.Retry) o).retryAfter()).isEmpty();
  }

  @Test
  void noAnswerAtAllIsWorthRetrying() {
    assertThat(HttpOutcomes.ofFailure(new HttpTimeoutException("request timed out")))
        .isInstanceOfSatisfying(DeliveryOutcome.Retry.class, r -> assertThat(r.reason()).contains("timed out"));
    assertThat(HttpOutcomes.ofFailure(new ConnectException()))
        .isInstanceOfSatisfying(DeliveryOutcome.Retry.class, r -> assertThat(r.reason()).contains("refused"));
    assertThat(HttpOutcomes.ofFailure(new IOException("Connection reset\nby peer")))
        .isInstanceOfSatisfying(DeliveryOutcome.Retry.class,
            r -> assertThat(r.reason()).isEqualTo("no answer: IOException: Connection reset by peer"));
  }
}
