package dev.holdfast.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureLogTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theFirstFailureInARowIsAlwaysAWarning() {
    FailureLog log = new FailureLog();
    assertThat(log.failure(true, T0).warn()).isTrue();
    assertThat(log.failure(true, T0.plusSeconds(1)).warn()).isTrue();
  }

  @Test
  void repeatedFailuresWarnOncePerIntervalAndCountTheQuietOnes() {
    FailureLog log = new FailureLog();
    log.failure(true, T0);
    for (int i = 1; i <= 9; i++) {
      assertThat(log.failure(false, T0.plusSeconds(20L * i)).warn()).as("attempt %d", i).isFalse();
    }
    FailureLog.Decision fifthMinute = log.failure(false, T0.plus(FailureLog.EVERY));
    assertThat(fifthMinute).isEqualTo(new FailureLog.Decision(true, 9));
    assertThat(log.failure(false, T0.plus(FailureLog.EVERY).plusSeconds(1)).warn()).isFalse();
    assertThat(log.failure(false, T0.plus(FailureLog.EVERY.multipliedBy(2))))
        .isEqualTo(new FailureLog.Decision(true, 1));
  }

  @Test
  void aLinkThatCameBackWarnsAtItsNextFailureWithoutWaiting() {
    FailureLog log = new FailureLog();
    log.failure(true, T0);
    assertThat(log.failure(false, T0.plusSeconds(10)).warn()).isFalse();
    assertThat(log.failure(true, T0.plusSeconds(30))).isEqualTo(new FailureLog.Decision(true, 0));
  }

  @Test
  void theStatusKeepsTheLastErrorAndWhenTheLinkWentDown() {
    LinkStatus s = LinkStatus.started(T0).moved(LinkState.CONNECTING, T0);
    s = s.moved(LinkState.WAITING, T0.plusSeconds(1)).failed("could not connect: certificate_revoked",
        T0.plusSeconds(1), 1);
    assertThat(s.downSince()).contains(T0);
    assertThat(s.lastError()).contains("could not connect: certificate_revoked");
    s = s.moved(LinkState.CONNECTING, T0.plusSeconds(5)).moved(LinkState.CONNECTED, T0.plusSeconds(6));
    assertThat(s.downSince()).isEmpty();
    assertThat(s.failures()).isZero();
    assertThat(s.lastErrorAt()).contains(T0.plusSeconds(1));
    LinkStatus lost = s.moved(LinkState.WAITING, T0.plus(Duration.ofHours(1)));
    assertThat(lost.downSince()).contains(T0.plus(Duration.ofHours(1)));
  }
}
