package dev.holdfast.agent.outbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * Group commit: every change goes into one queue, and one thread — the injected single-threaded
 * scheduler's — takes what is queued at a moment and hands it to the {@link Round} as one batch
 * (one log write, one flush). When to take it is {@link Linger#decide}'s call, asked again at each
 * arrival and when its wait runs out; the scheduler's thread is the only one that writes the log,
 * so no caller's interrupt can ever close the log's files. Nothing runs until the first change is
 * submitted; the constructor starts no thread.
 */
final class Committer {
  /** Plans one change against the batch; throws to refuse it (the rest of the batch goes on). */
  @FunctionalInterface
  interface Step<T> {
    T plan(Batch batch) throws OutboxException;
  }

  /** Commits one batch of changes and completes each change's future. Must not throw. */
  @FunctionalInterface
  interface Round {
    void commit(List<Pending<?>> pendings);
  }

  /** One submitted change; {@code waiting}: a caller blocks until it is committed. */
  record Pending<T>(Step<T> step, CompletableFuture<T> done, boolean waiting, long arrived) {}

  /** A caller that submitted within this long counts as one whose next change is coming. */
  static final long RECENT_CALLER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final ScheduledExecutorService executor;
  private final LongSupplier ticker;
  private final Linger.Limits limits;
  private final Round round;
  private final Object lock = new Object();
  private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
  private final Map<Long, Long> callers = new HashMap<>();
  private int waiting;
  private boolean runQueued;
  private ScheduledFuture<?> timer;
  private long timerAt;
  private boolean closing;

  /**
   * @param executor single-threaded; runs every commit
   * @param ticker nanoseconds, for how long changes have waited
   */
  Committer(ScheduledExecutorService executor, LongSupplier ticker, Linger.Limits limits, Round round) {
    this.executor = executor;
    this.ticker = ticker;
    this.limits = limits;
    this.round = round;
  }

  /** Submits a change and waits until it is durable (or refused). */
  <T> T submit(Step<T> step) throws OutboxException {
    return await(enqueue(step, true));
  }

  /** Submits a change; the future completes once it is durable and visible, or fails with an {@link OutboxException}. */
  <T> CompletableFuture<T> submitAsync(Step<T> step) {
    return enqueue(step, false);
  }

  private <T> CompletableFuture<T> enqueue(Step<T> step, boolean waits) {
    CompletableFuture<T> done = new CompletableFuture<>();
    synchronized (lock) {
      if (closing) {
        done.completeExceptionally(closed());
        return done;
      }
      long now = ticker.getAsLong();
      queue.add(new Pending<>(step, done, waits, now));
      if (waits) {
        waiting++;
        callers.put(Thread.currentThread().getId(), now);
      }
      kick();
    }
    return done;
  }

  /** Makes sure a look at the queue is coming; holds the lock. */
  private void kick() {
    if (!runQueued) {
      runQueued = true;
      try {
        executor.execute(this::run);
      } catch (RejectedExecutionException e) {
        runQueued = false;
        failAll(closed());
      }
    }
  }

  static <T> T await(CompletableFuture<T> done) throws OutboxException {
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OutboxException(OutboxException.Reason.CLOSED, "interrupted while waiting for the commit");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OutboxException o) {
        throw o;
      }
      throw new IllegalStateException("outbox commit failed", e.getCause());
    }
  }

  private static OutboxException closed() {
    return new OutboxException(OutboxException.Reason.CLOSED, "the agent is shutting down; try again shortly");
  }

  /** On the executor: commits while {@link Linger} says so, then waits or goes idle. */
  private void run() {
    while (true) {
      List<Pending<?>> batch;
      synchronized (lock) {
        runQueued = false;
        long now = ticker.getAsLong();
        Linger.Decision d = closing ? (queue.isEmpty() ? Linger.IDLE : Linger.COMMIT) : Linger.decide(state(now), limits);
        if (d instanceof Linger.Idle) {
          return;
        }
        if (d instanceof Linger.Wait w) {
          wakeAt(now, now + w.nanos());
          return;
        }
        batch = take();
      }
      try {
        round.commit(batch);
      } catch (RuntimeException | Error e) {
        Logger.error(e, "outbox commit failed; the batch was refused");
        batch.forEach(p -> p.done().completeExceptionally(e)); // no caller is left waiting
        if (e instanceof Error error) {
          throw error;
        }
      }
    }
  }

  private Linger.Queue state(long now) {
    long oldestWaiting = -1;
    long oldestAsync = -1;
    for (Pending<?> p : queue) {
      if (p.waiting() && oldestWaiting < 0) {
        oldestWaiting = p.arrived();
      } else if (!p.waiting() && oldestAsync < 0) {
        oldestAsync = p.arrived();
      }
      if (oldestWaiting >= 0 && oldestAsync >= 0) {
        break;
      }
    }
    callers.values().removeIf(at -> now - at > RECENT_CALLER_NANOS);
    return new Linger.Queue(waiting, queue.size() - waiting, oldestWaiting < 0 ? 0 : now - oldestWaiting,
        oldestAsync < 0 ? 0 : now - oldestAsync, Math.max(1, callers.size()));
  }

  private List<Pending<?>> take() {
    List<Pending<?>> batch = new ArrayList<>(Math.min(queue.size(), limits.maxBatch()));
    for (Iterator<Pending<?>> it = queue.iterator(); it.hasNext() && batch.size() < limits.maxBatch(); ) {
      Pending<?> p = it.next();
      it.remove();
      if (p.waiting()) {
        waiting--;
      }
      batch.add(p);
    }
    return batch;
  }

  private void wakeAt(long now, long at) {
    if (timer != null && timerAt <= at) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timerAt = at;
    try {
      timer = executor.schedule(this::timerFired, at - now, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      timer = null;
      failAll(closed());
    }
  }

  private void timerFired() {
    synchronized (lock) {
      timer = null;
    }
    run();
  }

  private void failAll(OutboxException e) {
    Pending<?> p;
    while ((p = queue.poll()) != null) {
      p.done().completeExceptionally(e);
    }
    waiting = 0;
  }

  /**
   * Commits what was submitted before (at once, without lingering) and refuses what comes after;
   * returns once that is done, or after 30 s.
   */
  void close() {
    CompletableFuture<Void> drained = new CompletableFuture<>();
    synchronized (lock) {
      closing = true;
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      kick();
      try {
        executor.execute(() -> drained.complete(null)); // runs after the commits queued before it
      } catch (RejectedExecutionException e) {
        drained.complete(null);
      }
    }
    try {
      drained.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      Logger.warn("outbox commits did not finish in 30 s while stopping: {}", e.toString());
    }
    synchronized (lock) {
      failAll(closed());
    }
  }
}
