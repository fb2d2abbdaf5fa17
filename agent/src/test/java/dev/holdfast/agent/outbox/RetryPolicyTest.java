package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5));

  /** A generator that always draws the same fraction of its bound, so the jitter's bounds can be checked exactly. */
  static RandomGenerator fixed(double fraction) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return (long) (fraction * (bound - 1));
      }
    };
  }

  @ParameterizedTest(name = "after {0} attempts the wait is at most {1} ms")
  @CsvSource({
      "0,  1000",
      "1,  2000",
      "2,  4000",
      "8,  256000",
      "9,  300000",
      "40, 300000",
      "63, 300000",
      "1000, 300000",
  })
  void theCeilingDoublesWithEachAttemptUpToTheCap(int attempts, long ceilingMillis) {
    Instant almostTop = POLICY.nextAttempt(attempts, Optional.empty(), NOW, fixed(0.999_999));
    Instant bottom = POLICY.nextAttempt(attempts, Optional.empty(), NOW, fixed(0.0));
    assertThat(Duration.between(NOW, almostTop).toMillis()).isBetween(ceilingMillis - 1, ceilingMillis);
    assertThat(bottom).as("full jitter starts at zero").isEqualTo(NOW);
  }

  @Test
  void retryAfterIsAFloorUnderTheJitter() {
    Instant next = POLICY.nextAttempt(0, Optional.of(Duration.ofSeconds(90)), NOW, fixed(0.5));
    assertThat(next).isEqualTo(NOW.plusSeconds(90));
  }

  @Test
  void aLongerJitterThanRetryAfterIsKept() {
    Instant next = POLICY.nextAttempt(10, Optional.of(Duration.ofSeconds(1)), NOW, fixed(0.5));
    assertThat(next).isEqualTo(NOW.plusSeconds(150));
  }

  @Test
  void aCapBelowTheBaseIsRefusedByName() {
    assertThatThrownBy(() -> new RetryPolicy(Duration.ofMinutes(2), Duration.ofMinutes(1)))
        .hasMessageContaining("outbox.retry.cap").hasMessageContaining("outbox.retry.base");
  }
}
