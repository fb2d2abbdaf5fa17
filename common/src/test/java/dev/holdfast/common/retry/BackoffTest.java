package dev.holdfast.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /** Always the top of the bound (or, with {@code false}, zero): the jitter's two ends. */
  record Edge(boolean top) implements RandomGenerator {
    @Override
    public long nextLong() {
      throw new UnsupportedOperationException("only bounded draws");
    }

    @Override
    public long nextLong(long bound) {
      return top ? bound - 1 : 0;
    }
  }

  @ParameterizedTest(name = "after {0} failures the ceiling is {1} ms")
  @CsvSource({"0, 1000", "1, 2000", "2, 4000", "3, 8000", "4, 16000", "5, 30000", "6, 30000", "7, 30000"})
  void theCeilingDoublesWithEachFailureUntilTheCap(int failures, long ceilingMillis) {
    assertThat(backoff.ceiling(failures).toMillis()).isEqualTo(ceilingMillis);
  }

  @Test
  void theCeilingStaysAtTheCapForAnyNumberOfFailuresWithoutOverflowing() {
    for (int failures : new int[] {31, 32, 62, 63, 64, 1_000, Integer.MAX_VALUE}) {
      assertThat(backoff.ceiling(failures)).as("failures=" + failures).isEqualTo(Duration.ofSeconds(30));
    }
  }

  @Test
  void theDelayIsTheCeilingAtMostAndZeroAtLeast() {
    for (int failures = 0; failures < 10; failures++) {
      assertThat(backoff.delay(failures, new Edge(true))).isEqualTo(backoff.ceiling(failures));
      assertThat(backoff.delay(failures, new Edge(false))).isEqualTo(Duration.ZERO);
    }
  }

  @Test
  void delaysAreSpreadOverTheWholeRangeSoAFleetDoesNotReconnectInStep() {
    SplittableRandom random = new SplittableRandom(7);
    Set<Long> seen = new HashSet<>();
    long below = 0;
    for (int i = 0; i < 1_000; i++) {
      long ms = backoff.delay(8, random).toMillis();
      assertThat(ms).isBetween(0L, 30_000L);
      seen.add(ms);
      below += ms < 15_000 ? 1 : 0;
    }
    assertThat(seen).hasSizeGreaterThan(900);
    assertThat(below).isBetween(400L, 600L);
  }

  @Test
  void refusesAZeroBaseOrABaseAboveTheCap() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessageContaining("0 < base <= cap");
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
