package dev.holdfast.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.config.LinkSettings;
import dev.holdfast.agent.testing.ManualScheduler;
import dev.holdfast.agent.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/**
 * The delays the link waits between failed connection attempts, read from the scheduler it is
 * given: nothing sleeps. The broker address is a loopback port nobody listens on, so each attempt
 * is refused at once.
 */
class ReconnectScheduleTest {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** The delays of the first {@code n} reconnects, firing each as soon as it is scheduled. */
  static List<Duration> reconnectDelays(int n, RandomGenerator random) throws IOException {
    LinkSettings settings = new LinkSettings(Optional.of(URI.create("ssl://127.0.0.1:" + closedPort())),
        Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMillis(100),
        Duration.ofMillis(1_000), TIMEOUT);
    ManualScheduler scheduler = new ManualScheduler();
    MqttLink link = MqttLink.start(settings, "dev-0000000000000001", (SSLSocketFactory) SSLSocketFactory.getDefault(),
        CommandKeys.FLEET.getPublic(), LinkFixtures.idle(), scheduler, MutableClock.atTheStartOf2026(), random);
    List<Duration> delays = new ArrayList<>();
    int seen = 0;
    try {
      while (delays.size() < n) {
        // Paho reports each refused attempt from its own thread, onto the scheduler
        await().atMost(Duration.ofSeconds(20)).until(scheduler::hasReady);
        scheduler.runReady();
        List<ManualScheduler.Timed> timed = scheduler.timed();
        for (; seen < timed.size(); seen++) {
          ManualScheduler.Timed t = timed.get(seen);
          if (!t.delay().equals(TIMEOUT.plusSeconds(1))) { // not the CONNACK watchdog
            delays.add(t.delay());
            assertThat(link.state()).isEqualTo(LinkState.WAITING);
            t.task().run();
          }
        }
      }
    } finally {
      scheduler.shutdown();
      link.close();
    }
    return delays;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void theCeilingDoublesFromTheBaseUpToTheCapBetweenRefusedAttempts() throws Exception {
    assertThat(reconnectDelays(7, FixedRandom.highest())).extracting(Duration::toMillis)
        .containsExactly(100L, 200L, 400L, 800L, 1_000L, 1_000L, 1_000L);
  }

  @Test
  void theStatusNamesTheLastConnectErrorAndSinceWhenTheLinkIsDown() throws Exception {
    LinkSettings settings = new LinkSettings(Optional.of(URI.create("ssl://127.0.0.1:" + closedPort())),
        Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMillis(100),
        Duration.ofMillis(1_000), TIMEOUT);
    ManualScheduler scheduler = new ManualScheduler();
    MutableClock clock = MutableClock.atTheStartOf2026();
    MqttLink link = MqttLink.start(settings, "dev-0000000000000001", (SSLSocketFactory) SSLSocketFactory.getDefault(),
        CommandKeys.FLEET.getPublic(), LinkFixtures.idle(), scheduler, clock, FixedRandom.highest());
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        scheduler.runReady();
        return link.state() == LinkState.WAITING;
      });
      LinkStatus status = link.status();
      assertThat(status.state()).isEqualTo(LinkState.WAITING);
      assertThat(status.downSince()).contains(clock.instant());
      assertThat(status.failures()).isEqualTo(1);
      assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("could not connect: "));
      assertThat(status.lastErrorAt()).contains(clock.instant());
    } finally {
      scheduler.shutdown();
      link.close();
    }
  }

  @Test
  void eachDelayIsDrawnAtRandomBelowItsCeiling() throws Exception {
    List<Duration> delays = reconnectDelays(8, new SplittableRandom(3));
    long[] ceilings = {100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000};
    for (int i = 0; i < delays.size(); i++) {
      assertThat(delays.get(i).toMillis()).as("attempt " + i).isBetween(0L, ceilings[i]);
    }
    assertThat(delays).doesNotHaveDuplicates();
    assertThat(reconnectDelays(3, FixedRandom.lowest())).containsOnly(Duration.ZERO);
  }
}
