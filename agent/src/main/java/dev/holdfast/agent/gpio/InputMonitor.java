package dev.holdfast.agent.gpio;

import dev.holdfast.agent.config.GpioInput;
import dev.holdfast.agent.config.GpioSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * Turns one input's raw level changes into firings: debounced (a change counts once the level has
 * stayed {@code debounce} since the last raw change), filtered by the configured edge, and
 * repeated every {@code repeat} while the level the edge reached is held. Everything runs on the
 * one thread of its scheduler; the driver's callbacks are handed over to it.
 */
final class InputMonitor {
  private final GpioInput input;
  private final Pins.InputPin pin;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Consumer<Firing> fire;
  // only touched on the scheduler thread
  private boolean stable;
  private boolean lastRaw;
  private Instant changeSince = Instant.EPOCH;
  private ScheduledFuture<?> settle;
  private ScheduledFuture<?> repeat;
  private int repeats;

  InputMonitor(GpioInput input, Pins.InputPin pin, ScheduledExecutorService scheduler, Clock clock,
      Consumer<Firing> fire) {
    this.input = input;
    this.pin = pin;
    this.scheduler = scheduler;
    this.clock = clock;
    this.fire = fire;
  }

  /** Reads the level the input starts at (no firing for it) and starts listening. */
  void start() {
    boolean level = pin.high();
    onThread(() -> {
      stable = level;
      lastRaw = level;
    });
    pin.onChange(high -> onThread(() -> raw(high)));
  }

  private void raw(boolean level) {
    lastRaw = level;
    if (settle == null) {
      changeSince = clock.instant(); // the first change since the level was last stable
    } else {
      settle.cancel(false); // a bounce: the level must stay for a whole debounce again
    }
    long nanos = input.debounce().toNanos();
    if (nanos == 0) {
      settle();
    } else {
      settle = scheduler.schedule(() -> guarded(this::settle), nanos, TimeUnit.NANOSECONDS);
    }
  }

  private void settle() {
    settle = null;
    boolean level = lastRaw;
    if (level == stable) {
      return; // it bounced back
    }
    stable = level;
    stopRepeating();
    GpioSettings.Edge edge = level ? GpioSettings.Edge.RISING : GpioSettings.Edge.FALLING;
    if (input.edge() != GpioSettings.Edge.BOTH && input.edge() != edge) {
      return;
    }
    fire.accept(new Firing(input, edge, changeSince, 0));
    input.repeat().ifPresent(every -> {
      long millis = every.toMillis();
      repeats = 0;
      repeat = scheduler.scheduleAtFixedRate(() -> guarded(() -> repeatIfHeld(edge)), millis, millis,
          TimeUnit.MILLISECONDS);
    });
  }

  private void repeatIfHeld(GpioSettings.Edge edge) {
    if (stable != (edge == GpioSettings.Edge.RISING)) {
      stopRepeating();
      return;
    }
    repeats++;
    fire.accept(new Firing(input, edge, clock.instant(), repeats));
  }

  private void stopRepeating() {
    if (repeat != null) {
      repeat.cancel(false);
      repeat = null;
    }
  }

  /** The debounced level. */
  boolean level() {
    return pin.high();
  }

  private void onThread(Runnable task) {
    try {
      scheduler.execute(() -> guarded(task));
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RejectedExecutionException e) {
      // stopping
    } catch (RuntimeException e) {
      Logger.error(e, "gpio input {} failed", input.name());
    }
  }
}
