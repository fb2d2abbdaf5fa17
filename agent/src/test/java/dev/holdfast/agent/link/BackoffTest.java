package dev.holdfast.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void theCeilingDoublesWithEachFailureUntilTheCap() {
    long[] expected = {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000};
    for (int failures = 0; failures < expected.length; failures++) {
      assertThat(backoff.ceiling(failures).toMillis()).as("failures=" + failures).isEqualTo(expected[failures]);
    }
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
      assertThat(backoff.delay(failures, FixedRandom.highest())).isEqualTo(backoff.ceiling(failures));
      assertThat(backoff.delay(failures, FixedRandom.lowest())).isEqualTo(Duration.ZERO);
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
  void refusesABaseAboveTheCap() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessageContaining("0 < base <= cap");
  }
}
