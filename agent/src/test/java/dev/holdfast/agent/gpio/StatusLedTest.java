package dev.holdfast.agent.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.GpioSettings;
import dev.holdfast.agent.testing.MockGpio;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.agent.testing.VirtualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LED's pins as the pattern drives them, on Pi4J's mock outputs and virtual time. */
class StatusLedTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atTheStartOf2026();
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  final MockGpio board = MockGpio.raspberryPi4();
  final AtomicReference<AgentView> view = new AtomicReference<>(AgentView.starting());
  Gpio gpio;

  @AfterEach
  void close() {
    if (gpio != null) {
      gpio.close();
    }
  }

  void led(String settings) throws Exception {
    GpioSettings s = GpioFixtures.settings(dir, settings);
    gpio = Gpio.open(s, board.hardware(), true, scheduler, clock);
    gpio.showStatus(view::get);
    scheduler.runDue();
  }

  static AgentView online() {
    return new AgentView(AgentView.Phase.RUNNING, AgentView.Link.CONNECTED, 0, false, false,
        java.util.Optional.empty(), java.util.Optional.empty(), false, false);
  }

  static AgentView offline(long queued) {
    return new AgentView(AgentView.Phase.RUNNING, AgentView.Link.DOWN, queued, false, false,
        java.util.Optional.empty(), java.util.Optional.empty(), false, false);
  }

  /** The pin's level sampled every 50 ms for {@code millis}, as a string of 1 and 0. */
  String sample(String setting, int millis) {
    StringBuilder out = new StringBuilder();
    for (int t = 0; t < millis; t += 50) {
      out.append(board.isHigh(setting) ? '1' : '0');
      scheduler.advance(Duration.ofMillis(50));
    }
    return out.toString();
  }

  @Test
  void aSingleLedBlinksStartingThenHoldsOnlineWithAHeartbeat() throws Exception {
    led("gpio.led.pin = 18\n");
    assertThat(sample("gpio.led.pin", 800)).isEqualTo("1100110011001100");

    view.set(online());
    scheduler.advance(Duration.ofMillis(250)); // it looks at least every 250 ms
    String online = sample("gpio.led.pin", 6000);
    assertThat(online).contains("1".repeat(50)).contains("1001").doesNotContain("000");
    assertThat(online.chars().filter(c -> c == '0').count()).as("dark 100 ms every 3 s").isBetween(2L, 6L);
    assertThat(gpio.ledState()).hasValueSatisfying(s -> assertThat(s.condition()).isEqualTo(LedState.Condition.ONLINE));
  }

  @Test
  void offlineFlashesFasterAsTheQueueGrows() throws Exception {
    led("gpio.led.pin = 18\n");
    view.set(offline(0));
    scheduler.advance(Duration.ofMillis(300));
    long slow = sample("gpio.led.pin", 8000).chars().filter(c -> c == '1').count();
    view.set(offline(150));
    scheduler.advance(Duration.ofMillis(300));
    long fast = sample("gpio.led.pin", 8000).chars().filter(c -> c == '1').count();
    assertThat(slow).as("one 100 ms flash every 4 s").isBetween(2L, 6L);
    assertThat(fast).as("one 100 ms flash every 0.5 s").isBetween(24L, 40L);
  }

  @Test
  void anActiveLowLedIsLitByDrivingThePinLow() throws Exception {
    led("gpio.led.pin = 18\ngpio.led.active = low\n");
    view.set(online());
    scheduler.advance(Duration.ofMillis(500));
    assertThat(board.isHigh("gpio.led.pin")).as("lit").isFalse();
    gpio.close();
    assertThat(board.drivesOf("gpio.led.pin")).last().as("off at close").isEqualTo(true);
    gpio = null;
  }

  @Test
  void anRgbLedShowsTheColourOfTheState() throws Exception {
    led("gpio.led.red = 5\ngpio.led.green = 6\ngpio.led.blue = 13\n");
    view.set(online());
    scheduler.advance(Duration.ofMillis(300));
    assertThat(board.isHigh("gpio.led.green")).isTrue();
    assertThat(board.isHigh("gpio.led.red")).isFalse();
    assertThat(board.isHigh("gpio.led.blue")).isFalse();

    view.set(offline(1)); // yellow: red and green
    scheduler.advance(Duration.ofMillis(260));
    scheduler.advance(Duration.ofMillis(2000 - 260 % 2000)); // to the start of a flash
    int blueBefore = board.drivesOf("gpio.led.blue").size();
    String red = sample("gpio.led.red", 4000);
    String green = sample("gpio.led.green", 4000);
    assertThat(red).contains("1").contains("0");
    assertThat(green).contains("1").contains("0");
    assertThat(board.drivesOf("gpio.led.blue")).as("blue stays dark").hasSize(blueBefore);
    assertThat(board.isHigh("gpio.led.blue")).isFalse();
  }

  @Test
  void closingTurnsTheLedOff() throws Exception {
    led("gpio.led.pin = 18\n");
    view.set(online());
    scheduler.advance(Duration.ofMillis(300));
    assertThat(board.isHigh("gpio.led.pin")).isTrue();
    gpio.close();
    gpio = null;
    assertThat(board.drivesOf("gpio.led.pin")).last().isEqualTo(false);
  }
}
