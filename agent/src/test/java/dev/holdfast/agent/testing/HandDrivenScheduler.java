package dev.holdfast.agent.testing;

import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the schedulers tests drive by hand share: runnables only, and a shutdown that is immediate
 * because nothing runs unless the test runs it.
 */
abstract class HandDrivenScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  volatile boolean shutdown;

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("schedule runnables");
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  /** A future of a runnable: it has no value to wait for; cancelling it calls {@link #cancelled()}. */
  abstract static class RunnableFuture implements ScheduledFuture<Object> {
    volatile boolean cancelled;
    volatile boolean done;

    /** What cancelling does besides marking it cancelled. */
    void cancelled() {}

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      cancelled();
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
