package dev.holdfast.provisioning.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.testing.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  final MutableClock clock = MutableClock.atStart();

  @Test
  void aKeyGetsItsBurstThenWaitsForTheRefillWhileOtherKeysAreUntouched() {
    RateLimiter limiter = new RateLimiter(clock, 2, 30);

    assertThat(limiter.acquire("10.0.0.1")).isEmpty();
    assertThat(limiter.acquire("10.0.0.1")).isEmpty();
    assertThat(limiter.acquire("10.0.0.1")).contains(Duration.ofSeconds(2));
    assertThat(limiter.acquire("10.0.0.2")).isEmpty();
    clock.advance(Duration.ofSeconds(2));
    assertThat(limiter.acquire("10.0.0.1")).isEmpty();
    assertThat(limiter.acquire("10.0.0.1")).isPresent();
  }

  @Test
  void manyKeysDoNotGrowTheBucketsPastTheCapOnceTheirBucketsHaveRefilled() {
    RateLimiter limiter = new RateLimiter(clock, 1, 60, 100);
    for (int i = 0; i < 100; i++) {
      limiter.acquire("10.0.0." + i);
    }
    assertThat(limiter.tracked()).isEqualTo(100);

    clock.advance(Duration.ofSeconds(1));
    limiter.acquire("10.0.1.1");

    assertThat(limiter.tracked()).isEqualTo(1);
  }

  @Test
  void aKeyStillWaitingKeepsItsBucketWhenOthersAreDropped() {
    RateLimiter limiter = new RateLimiter(clock, 1, 1, 2);
    limiter.acquire("10.0.0.1");
    clock.advance(Duration.ofSeconds(30));
    limiter.acquire("10.0.0.2");

    Optional<Duration> wait = limiter.acquire("10.0.0.1");

    assertThat(wait).as("not forgiven by the pruning").contains(Duration.ofSeconds(30));
    assertThat(limiter.tracked()).isEqualTo(2);
  }
}
