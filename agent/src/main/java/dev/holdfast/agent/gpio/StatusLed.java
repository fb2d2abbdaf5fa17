package dev.holdfast.agent.gpio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Plays the pattern of the agent's state on one LED or an RGB LED. It looks at the state at every
 * step and at least every {@link #LOOK}, so a change shows within a quarter second; a new pattern
 * starts from its first step. Runs on its scheduler's thread; drives a pin only when its level
 * changes.
 */
public final class StatusLed implements AutoCloseable {
  /** The longest the LED goes without looking at the state. */
  static final Duration LOOK = Duration.ofMillis(250);

  private final List<Pins.OutputPin> pins;
  private final boolean activeHigh;
  private final Supplier<AgentView> view;
  private final Duration expiryWarning;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private volatile LedState state;
  private volatile LedPattern pattern;
  // only touched on the scheduler thread
  private int step;
  private Instant stepEnds = Instant.MIN;
  private final Boolean[] driven;
  private volatile boolean stopped;

  /**
   * @param pins one pin, or red, green and blue
   * @param view read at every look; must be cheap and must not throw
   */
  public StatusLed(List<Pins.OutputPin> pins, boolean activeHigh, Supplier<AgentView> view, Duration expiryWarning,
      ScheduledExecutorService scheduler, Clock clock) {
    if (pins.size() != 1 && pins.size() != 3) {
      throw new IllegalArgumentException("a status LED has 1 or 3 pins, not " + pins.size());
    }
    this.pins = List.copyOf(pins);
    this.activeHigh = activeHigh;
    this.view = view;
    this.expiryWarning = expiryWarning;
    this.scheduler = scheduler;
    this.clock = clock;
    this.driven = new Boolean[pins.size()];
  }

  public void start() {
    onThread(this::look);
  }

  /** What the LED shows now (empty before its first look). */
  public java.util.Optional<LedState> state() {
    return java.util.Optional.ofNullable(state);
  }

  public java.util.Optional<LedPattern> pattern() {
    return java.util.Optional.ofNullable(pattern);
  }

  private void look() {
    if (stopped) {
      return;
    }
    Instant now = clock.instant();
    LedState s = LedState.of(view.get(), now, expiryWarning);
    LedPattern wanted = LedPatterns.of(s);
    if (!wanted.equals(pattern)) {
      if (state == null || state.condition() != s.condition()) {
        Logger.debug("status LED: {}", s.condition());
      }
      pattern = wanted;
      step = 0;
      stepEnds = now.plusMillis(wanted.steps().get(0));
    } else {
      while (!now.isBefore(stepEnds)) {
        step = (step + 1) % wanted.steps().size();
        stepEnds = stepEnds.plusMillis(wanted.steps().get(step));
      }
    }
    state = s;
    show(wanted.lit(step) ? wanted.colour() : null);
    long wait = Math.max(1, Math.min(LOOK.toMillis(), Duration.between(now, stepEnds).toMillis()));
    try {
      scheduler.schedule(() -> guarded(this::look), wait, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  /** Lights {@code colour} (a one-colour LED: any colour lights it), or nothing. */
  private void show(LedPattern.Colour colour) {
    for (int i = 0; i < pins.size(); i++) {
      boolean lit = colour != null && (pins.size() == 1 || colour.lights(i));
      drive(i, lit);
    }
  }

  private void drive(int i, boolean lit) {
    boolean high = lit == activeHigh;
    if (driven[i] == null || driven[i] != high) {
      pins.get(i).set(high);
      driven[i] = high;
    }
  }

  /**
   * Turns the LED off. Call it once the scheduler has stopped (after {@code shutdownNow} and
   * {@code awaitTermination}), so no step runs after it.
   */
  @Override
  public void close() {
    stopped = true;
    show(null);
  }

  private void onThread(Runnable task) {
    try {
      scheduler.execute(() -> guarded(task));
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  private static void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      Logger.error(e, "status LED failed");
    }
  }
}
