package dev.holdfast.bench.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kill -9 harness, small: a few cycles in every build; bench/run kill-cycles runs 50. */
class OutboxKillIT {
  @TempDir Path home;

  @Test
  void acknowledgedMessagesSurviveKillNineAndAreDeliveredOnceAsAnEffect() throws Exception {
    long seed = Long.getLong("holdfast.seed", System.nanoTime());
    KillHarness.Settings settings = new KillHarness.Settings(6, 600, 4, 4, seed);
    KillHarness.Report r = new KillHarness(settings, System.out).run(home);
    assertThat(r.problems()).as("seed %d (replay with -Dholdfast.seed=%d)", seed, seed).isEmpty();
    assertThat(r.acked()).isEqualTo(600);
    assertThat(r.delivered()).isEqualTo(600);
    assertThat(r.lost()).isZero();
    assertThat(r.unacknowledged()).isZero();
    assertThat(r.verifyExit()).isZero();
  }
}
