package dev.holdfast.provisioning.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose periodic tasks never run on their own: the test sees each one with its period
 * and runs a tick by hand, so nothing waits for time to pass.
 */
public final class CapturingScheduler extends ScheduledThreadPoolExecutor {
  /** A task scheduled with a fixed delay, and that delay. */
  public record Periodic(Runnable task, Duration every) {}

  public final List<Periodic> periodic = new CopyOnWriteArrayList<>();

  public CapturingScheduler() {
    super(1);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    periodic.add(new Periodic(command, Duration.ofNanos(unit.toNanos(delay))));
    return super.schedule(() -> { }, 1, TimeUnit.DAYS);
  }
}
