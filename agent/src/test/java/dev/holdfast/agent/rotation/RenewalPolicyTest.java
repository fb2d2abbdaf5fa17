package dev.holdfast.agent.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {
  static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration LIFETIME = Duration.ofDays(30);

  /** Draws one fixed double. */
  record Draw(double value) implements RandomGenerator {
    @Override
    public long nextLong() {
      throw new UnsupportedOperationException("only nextDouble is drawn");
    }

    @Override
    public double nextDouble() {
      return value;
    }
  }

  @ParameterizedTest
  @CsvSource({"0.0, 0.58333", "0.5, 0.66667", "0.999999, 0.75"})
  void renewalIsDueAtTwoThirdsOfTheLifetimeJitteredByATwelfthEitherWay(double draw, double fraction) {
    Instant due = RenewalPolicy.due(FROM, FROM.plus(LIFETIME), new Draw(draw));
    double at = (double) Duration.between(FROM, due).toSeconds() / LIFETIME.toSeconds();
    assertThat(at).isCloseTo(fraction, org.assertj.core.data.Offset.offset(0.0001));
  }

  @Test
  void aThousandDevicesSpreadOverTheWindowAndNoneRenewsInTheLastQuarter() {
    SplittableRandom random = new SplittableRandom(7);
    Instant earliest = Instant.MAX;
    Instant latest = Instant.MIN;
    for (int i = 0; i < 1000; i++) {
      Instant due = RenewalPolicy.due(FROM, FROM.plus(LIFETIME), random);
      earliest = due.isBefore(earliest) ? due : earliest;
      latest = due.isAfter(latest) ? due : latest;
    }
    assertThat(earliest).isAfterOrEqualTo(FROM.plus(LIFETIME.multipliedBy(7).dividedBy(12)));
    assertThat(latest).isBeforeOrEqualTo(FROM.plus(LIFETIME.multipliedBy(3).dividedBy(4)));
    assertThat(Duration.between(earliest, latest)).isGreaterThan(LIFETIME.dividedBy(7));
  }

  @Test
  void aCertificateWithoutLifetimeIsDueAtOnce() {
    assertThat(RenewalPolicy.due(FROM, FROM, new Draw(0.5))).isEqualTo(FROM);
  }
}
