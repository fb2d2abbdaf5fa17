package dev.holdfast.agent.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on virtual time: tasks run only when the test calls {@link #advance}, which moves
 * the {@link MutableClock} forward to each task's due time in order and runs it on the calling
 * thread (tasks may schedule more). {@code execute} is due at once. Nothing sleeps, and any thread
 * may hand it tasks.
 */
public final class VirtualScheduler extends HandDrivenScheduler {
  private final MutableClock clock;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long sequence;

  public VirtualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** Runs everything due within {@code d} from now, moving the clock to each task's time, then to now + d. */
  public void advance(Duration d) {
    Instant end = clock.instant().plus(d);
    for (Task t = next(end); t != null; t = next(end)) {
      if (t.due.isAfter(clock.instant())) {
        clock.advance(Duration.between(clock.instant(), t.due));
      }
      t.run();
    }
    if (end.isAfter(clock.instant())) {
      clock.advance(Duration.between(clock.instant(), end));
    }
  }

  /** Runs what is due now. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  private synchronized Task next(Instant end) {
    Task head = queue.peek();
    if (head == null || head.due.isAfter(end)) {
      return null;
    }
    return queue.poll();
  }

  private synchronized Task add(Runnable r, Duration delay, Duration period) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    Task t = new Task(r, clock.instant().plus(delay), period, sequence++);
    queue.add(t);
    return t;
  }

  @Override
  public void execute(Runnable command) {
    add(command, Duration.ZERO, Duration.ZERO);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(command, Duration.ofNanos(unit.toNanos(delay)), Duration.ZERO);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(command, Duration.ofNanos(unit.toNanos(initialDelay)), Duration.ofNanos(unit.toNanos(period)));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return scheduleAtFixedRate(command, initialDelay, delay, unit);
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  /** One task: due at a virtual instant, repeating every {@code period} unless that is zero. */
  private final class Task extends RunnableFuture implements Runnable {
    private final Runnable body;
    private final Duration period;
    private final long order;
    private Instant due;

    Task(Runnable body, Instant due, Duration period, long order) {
      this.body = body;
      this.due = due;
      this.period = period;
      this.order = order;
    }

    @Override
    public void run() {
      if (cancelled) {
        return;
      }
      body.run();
      if (period.isZero()) {
        done = true;
      } else if (!cancelled && !shutdown) {
        synchronized (VirtualScheduler.this) {
          due = due.plus(period);
          queue.add(this);
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due).toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task t = (Task) o;
      int c = due.compareTo(t.due);
      return c != 0 ? c : Long.compare(order, t.order);
    }

    @Override
    void cancelled() {
      synchronized (VirtualScheduler.this) {
        queue.remove(this);
      }
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }
}
