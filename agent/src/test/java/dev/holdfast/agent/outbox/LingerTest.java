package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LingerTest {
  static final long MS = 1_000_000L;
  static final Linger.Limits LIMITS = new Linger.Limits(4096, 2 * MS, 256, 20 * MS);

  /** waiting, async, oldest waiting age, oldest async age, recent callers -> decision. */
  record Case(String why, int waiting, int async, long waitingAge, long asyncAge, int callers, Linger.Decision expected) {}

  static final List<Case> CASES = List.of(
      new Case("nothing queued", 0, 0, 0, 0, 1, Linger.IDLE),
      new Case("a lone producer never waits", 1, 0, 0, 0, 1, Linger.COMMIT),
      new Case("a lone producer with outcomes queued behind it does not wait either", 1, 40, 0, 5 * MS, 1,
          Linger.COMMIT),
      new Case("every recent caller is here: commit", 16, 0, 300_000, 0, 16, Linger.COMMIT),
      new Case("more here than seen lately: commit", 5, 0, 0, 0, 3, Linger.COMMIT),
      new Case("half of sixteen here: wait for the rest, up to the linger", 8, 0, 500_000, 0, 16,
          new Linger.Wait(1_500_000)),
      new Case("the oldest waited the whole linger: commit what is here", 8, 0, 2 * MS, 0, 16, Linger.COMMIT),
      new Case("waited past the linger", 1, 0, 3 * MS, 0, 16, Linger.COMMIT),
      new Case("a full batch never waits", 4000, 96, 0, 0, 5000, Linger.COMMIT),
      new Case("outcomes only: gather them", 0, 10, 0, 4 * MS, 16, new Linger.Wait(16 * MS)),
      new Case("outcomes only, just arrived: the whole async linger", 0, 1, 0, 0, 1, new Linger.Wait(20 * MS)),
      new Case("enough outcomes: commit", 0, 256, 0, 1 * MS, 1, Linger.COMMIT),
      new Case("outcomes waited long enough: commit", 0, 3, 0, 20 * MS, 1, Linger.COMMIT),
      new Case("a waiting caller commits the outcomes with it at once", 2, 100, 0, 1 * MS, 2, Linger.COMMIT));

  @Test
  void theLingerDecisionFollowsTheTable() {
    for (Case c : CASES) {
      assertThat(Linger.decide(new Linger.Queue(c.waiting(), c.async(), c.waitingAge(), c.asyncAge(), c.callers()),
          LIMITS)).as(c.why()).isEqualTo(c.expected());
    }
  }
}
