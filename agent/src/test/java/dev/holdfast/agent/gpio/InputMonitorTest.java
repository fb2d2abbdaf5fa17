package dev.holdfast.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.GpioSettings;
import dev.holdfast.agent.testing.MockGpio;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.agent.testing.VirtualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debounce and repeat of one input on Pi4J's mock pins, on virtual time: each raw level change is
 * stamped when the test makes it, and nothing sleeps.
 */
class InputMonitorTest {
  static final String DOOR = "gpio.input.door.pin";
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atTheStartOf2026();
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  final MockGpio board = MockGpio.raspberryPi4();
  final List<Firing> firings = new CopyOnWriteArrayList<>();
  Gpio gpio;

  @AfterEach
  void close() {
    if (gpio != null) {
      gpio.close();
    }
  }

  /** Opens a door switch (to ground, pulled up: released reads high) with {@code more} settings. */
  void door(String more) throws Exception {
    door(more, true);
  }

  void door(String more, boolean atStart) throws Exception {
    GpioSettings settings = GpioFixtures.settings(dir, """
        gpio.input.door.pin = 17
        gpio.input.door.channel = sms
        gpio.input.door.to = +15551234567
        """ + more);
    gpio = Gpio.open(settings, board.hardware(), false, scheduler, clock);
    board.set(DOOR, atStart);
    gpio.listen(firings::add);
    scheduler.runDue();
  }

  /** The switch's contact goes to {@code high} now; then {@code after} passes. */
  void level(boolean high, long afterMillis) {
    board.set(DOOR, high);
    scheduler.runDue();
    scheduler.advance(Duration.ofMillis(afterMillis));
  }

  @Test
  void aBurstOfBouncesIsOneFallingEdgeTimedAtItsFirstChange() throws Exception {
    door("gpio.input.door.debounce = 50ms\n");
    Instant pressed = clock.instant();
    level(false, 2);
    level(true, 3);
    level(false, 1);
    level(true, 2);
    level(false, 49);
    assertThat(firings).as("the level has not yet stayed 50 ms").isEmpty();

    scheduler.advance(Duration.ofMillis(1));

    assertThat(firings).singleElement().satisfies(f -> {
      assertThat(f.edge()).isEqualTo(GpioSettings.Edge.FALLING);
      assertThat(f.time()).isEqualTo(pressed);
      assertThat(f.repeat()).isZero();
    });
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(firings).hasSize(1);
  }

  @Test
  void aBounceThatSettlesBackWhereItStartedFiresNothing() throws Exception {
    door("gpio.input.door.debounce = 50ms\n");
    level(false, 10);
    level(true, 10);
    level(false, 5);
    level(true, 200);
    assertThat(firings).isEmpty();
  }

  @Test
  void theReleaseIsNotAFallingEdge() throws Exception {
    door("gpio.input.door.debounce = 20ms\n");
    level(false, 30);
    level(true, 30);
    assertThat(firings).extracting(Firing::edge).containsExactly(GpioSettings.Edge.FALLING);
  }

  @Test
  void withEdgeBothEachDirectionCounts() throws Exception {
    door("gpio.input.door.debounce = 20ms\ngpio.input.door.edge = both\n");
    level(false, 30);
    level(true, 30);
    level(false, 30);
    assertThat(firings).extracting(Firing::edge).containsExactly(GpioSettings.Edge.FALLING,
        GpioSettings.Edge.RISING, GpioSettings.Edge.FALLING);
  }

  @Test
  void twoPressesFurtherApartThanTheDebounceAreTwoFirings() throws Exception {
    door("gpio.input.door.debounce = 50ms\n");
    for (int i = 0; i < 5; i++) {
      level(false, 3);
      level(true, 1);
      level(false, 100);
      level(true, 100);
    }
    assertThat(firings).hasSize(5).extracting(Firing::edge).containsOnly(GpioSettings.Edge.FALLING);
  }

  @Test
  void aHeldInputRepeatsAtItsIntervalUntilReleased() throws Exception {
    door("gpio.input.door.debounce = 50ms\ngpio.input.door.repeat = 30s\n");
    level(false, 50);
    Instant settled = clock.instant();
    assertThat(firings).hasSize(1);

    scheduler.advance(Duration.ofSeconds(95));

    assertThat(firings).extracting(Firing::repeat).containsExactly(0, 1, 2, 3);
    assertThat(firings.subList(1, 4)).extracting(Firing::time).containsExactly(settled.plusSeconds(30),
        settled.plusSeconds(60), settled.plusSeconds(90));
    assertThat(firings).extracting(Firing::edge).containsOnly(GpioSettings.Edge.FALLING);

    level(true, 60);
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(firings).hasSize(4);
  }

  @Test
  void bouncesWhileHeldNeitherRestartNorStopTheRepeat() throws Exception {
    door("gpio.input.door.debounce = 50ms\ngpio.input.door.repeat = 10s\n");
    level(false, 5_000);
    level(true, 5); // a bounce of 5 ms, back to pressed
    level(false, 6_000);
    assertThat(firings).extracting(Firing::repeat).containsExactly(0, 1);
  }

  @Test
  void withoutRepeatAHeldInputFiresOnce() throws Exception {
    door("");
    level(false, 50);
    scheduler.advance(Duration.ofHours(1));
    assertThat(firings).hasSize(1);
  }

  @Test
  void aDebounceOfZeroCountsEveryChange() throws Exception {
    door("gpio.input.door.debounce = 0ms\ngpio.input.door.edge = both\n");
    level(false, 1);
    level(true, 1);
    level(false, 0);
    assertThat(firings).extracting(Firing::edge).containsExactly(GpioSettings.Edge.FALLING,
        GpioSettings.Edge.RISING, GpioSettings.Edge.FALLING);
  }

  @Test
  void theLevelAtStartIsNotAnEdge() throws Exception {
    door("", false);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(firings).isEmpty();
  }
}
