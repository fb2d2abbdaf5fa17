package dev.holdfast.provisioning.testing;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose one-shot tasks run only when the test says (or at once, when made
 * {@link #inline()}): each waits in {@link #queue} with the delay it was scheduled with, so a test
 * sees when a task was asked for and never waits for time to pass.
 */
public final class QueuedScheduler extends ScheduledThreadPoolExecutor {
  /** A task and the delay it was scheduled with. */
  public record Task(Runnable task, Duration delay) {}

  public final Queue<Task> queue = new ConcurrentLinkedQueue<>();
  private final boolean inline;

  private QueuedScheduler(boolean inline) {
    super(0, r -> { // no thread kept: the returned futures are no-ops run at once
      Thread t = new Thread(r, "queued-scheduler");
      t.setDaemon(true);
      return t;
    });
    this.inline = inline;
  }

  /** Tasks wait in the queue. */
  public static QueuedScheduler queued() {
    return new QueuedScheduler(false);
  }

  /** Tasks run on the scheduling thread, at once, whatever their delay. */
  public static QueuedScheduler inline() {
    return new QueuedScheduler(true);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    ScheduledFuture<?> accepted = super.schedule(() -> { }, 0, TimeUnit.NANOSECONDS); // refused once shut down
    if (inline) {
      command.run();
    } else {
      queue.add(new Task(command, Duration.ofNanos(unit.toNanos(delay))));
    }
    return accepted;
  }

  /** Runs the task asked for first, and returns the delay it was asked for with. */
  public Duration runNext() {
    Task next = queue.remove();
    next.task().run();
    return next.delay();
  }

  /** Runs queued tasks, and those they schedule, until none is left. */
  public void runAll() {
    while (!queue.isEmpty()) {
      runNext();
    }
  }
}
