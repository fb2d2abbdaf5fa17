package dev.holdfast.agent.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler the test drives by hand: {@code execute} queues, {@code schedule} records the delay
 * and waits to be fired, nothing runs on its own and nothing sleeps. Other threads (Paho's) may
 * hand it tasks.
 */
public final class ManualScheduler extends HandDrivenScheduler {
  /** A task scheduled once, with its delay. */
  public record Timed(Duration delay, Runnable task) {}

  private final BlockingQueue<Runnable> ready = new LinkedBlockingQueue<>();
  private final List<Timed> timed = new ArrayList<>();

  /** Runs the queued tasks (and whatever they queue) on the calling thread. */
  public void runReady() {
    for (Runnable r = ready.poll(); r != null; r = ready.poll()) {
      r.run();
    }
  }

  public boolean hasReady() {
    return !ready.isEmpty();
  }

  /** The one-shot tasks scheduled so far, in order. */
  public synchronized List<Timed> timed() {
    return List.copyOf(timed);
  }

  @Override
  public void execute(Runnable command) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    ready.add(command);
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    timed.add(new Timed(Duration.ofNanos(unit.toNanos(delay)), command));
    return new Pending();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return new Pending(); // state publication: not what these tests look at
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return new Pending();
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>();
    ready.drainTo(left);
    return left;
  }

  /** A future that is never fired by itself. */
  private static final class Pending extends RunnableFuture {
    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed o) {
      return 0;
    }
  }
}
