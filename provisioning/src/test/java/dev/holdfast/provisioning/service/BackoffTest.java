package dev.holdfast.provisioning.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void doublesTheStepAfterEachFailureAndPicksADelayInItsUpperHalf() {
    long[][] table = {
        // failures, step in ms
        {0, 1_000}, {1, 2_000}, {2, 4_000}, {3, 8_000}, {4, 16_000}, {5, 30_000}, {6, 30_000}, {1_000, 30_000},
    };
    SplittableRandom random = new SplittableRandom(7);
    for (long[] row : table) {
      for (int i = 0; i < 200; i++) {
        long ms = backoff.delay((int) row[0], random).toMillis();
        assertThat(ms).as("after %d failures", row[0]).isBetween(row[1] / 2, row[1]);
      }
    }
  }

  @Test
  void spreadsClientsCutOffTogether() {
    SplittableRandom random = new SplittableRandom(8);
    long distinct = java.util.stream.IntStream.range(0, 100).mapToLong(i -> backoff.delay(4, random).toMillis())
        .distinct().count();
    assertThat(distinct).isGreaterThan(50);
  }

  @Test
  void refusesAZeroOrInvertedRange() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
