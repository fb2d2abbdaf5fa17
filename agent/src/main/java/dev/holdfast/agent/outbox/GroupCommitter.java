package dev.holdfast.agent.outbox;

import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.tinylog.Logger;

/**
 * Turns every change waiting at a moment into one vault transaction: the first change waits for
 * nothing, and all that arrive while a commit is on disk share the next one. Whoever finds no
 * commit running commits — a caller that waits for its change (an enqueue) does it on its own
 * thread, so a lone producer pays no thread hand-off; changes submitted without waiting (delivery
 * outcomes) are committed by the committer thread. Memory is updated only after the commit, so
 * what readers see is always on disk.
 */
final class GroupCommitter implements AutoCloseable {
  /** Plans one change against the batch; throws to refuse it (the rest of the batch goes on). */
  @FunctionalInterface
  interface Step<T> {
    T plan(Batch batch) throws OutboxException;
  }

  private static final int MAX_BATCH = 4096;
  /**
   * How long the committer thread lets changes nobody waits for (delivery outcomes) gather before
   * it commits them, unless {@link #LINGER_BATCH} of them are waiting or a caller waits. During a
   * drain this turns hundreds of commits a second, each journaling and rewriting tens of KiB, into
   * a few dozen: less flash wear and CPU. A delivered record's lane does not wait for its commit.
   */
  static final long LINGER_MILLIS = 20;
  static final int LINGER_BATCH = 256;
  private static final long LINGER_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** A caller commits at most this many batches for others before handing over to the thread. */
  private static final int MAX_ROUNDS = 4;

  /** One submitted change; {@code waiting}: a caller blocks until it is committed. */
  private record Pending<T>(Step<T> step, CompletableFuture<T> done, boolean waiting) {}

  private final Vault vault;
  private final State state;
  private final java.util.function.Supplier<Batch> batches;
  private final Runnable afterCommit;
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final ReentrantLock committing = new ReentrantLock();
  private final Semaphore work = new Semaphore(0);
  private final Thread thread;
  private volatile boolean closing;
  /** Whether the last commit failed to reach the vault (the status LED shows it). */
  private volatile boolean failing;

  GroupCommitter(Vault vault, State state, java.util.function.Supplier<Batch> batches, Runnable afterCommit) {
    this.vault = vault;
    this.state = state;
    this.batches = batches;
    this.afterCommit = afterCommit;
    this.thread = new Thread(this::loop, "outbox-commit");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Submits a change and waits until it is durable (or refused), committing it here if no one else is. */
  <T> T submit(Step<T> step) throws OutboxException {
    CompletableFuture<T> done = enqueue(step, true);
    drive();
    return await(done);
  }

  /**
   * Submits a change; the future completes once it is durable, and after the in-memory state shows
   * it, or fails with an {@link OutboxException}.
   */
  <T> CompletableFuture<T> submitAsync(Step<T> step) {
    CompletableFuture<T> done = enqueue(step, false);
    work.release();
    return done;
  }

  private <T> CompletableFuture<T> enqueue(Step<T> step, boolean waiting) {
    CompletableFuture<T> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(closed());
      return done;
    }
    queue.add(new Pending<>(step, done, waiting));
    return done;
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

  private void loop() {
    while (!(closing && queue.isEmpty())) {
      try {
        // changes left over from the last round (more than a batch) need no new signal
        work.tryAcquire(queue.isEmpty() ? 50 : 1, TimeUnit.MILLISECONDS);
        work.drainPermits();
        linger();
        drive();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Waits up to {@link #LINGER_MILLIS} while only changes nobody waits for are queued, fewer than
   * {@link #LINGER_BATCH}. A caller that submits meanwhile commits everything itself (it finds no
   * commit running), so a waiting caller is never held up by this.
   */
  private void linger() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
    while (!closing && !queue.isEmpty() && queue.size() < LINGER_BATCH
        && queue.stream().noneMatch(Pending::waiting)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      // slept off in short steps, not woken by every outcome: each wake-up costs a context switch
      TimeUnit.NANOSECONDS.sleep(Math.min(left, LINGER_STEP_NANOS));
    }
  }

  /**
   * Commits what is queued unless another thread is committing (that one finds it when it looks
   * again after its commit: it checks the queue after letting go of the lock). After a few rounds
   * the committer thread takes over, so no caller commits for others for long.
   */
  private void drive() {
    List<Pending<?>> batch = new ArrayList<>();
    boolean committerThread = Thread.currentThread() == thread;
    for (int round = 0; !queue.isEmpty() && committing.tryLock(); round++) {
      try {
        if (round == MAX_ROUNDS && Thread.currentThread() != thread) {
          work.release();
          return;
        }
        batch.clear();
        queue.drainTo(batch, MAX_BATCH);
        if (!batch.isEmpty()) {
          commitOrRefuse(batch);
        }
      } finally {
        committing.unlock();
      }
      if (committerThread && queue.stream().noneMatch(Pending::waiting)) {
        return; // only outcomes left: back to the loop, which lets them gather
      }
    }
  }

  private void commitOrRefuse(List<Pending<?>> batch) {
    try {
      commit(batch);
    } catch (RuntimeException e) {
      Logger.error(e, "outbox commit failed; the batch was refused");
      batch.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  private void commit(List<Pending<?>> pendings) {
    Batch batch = batches.get();
    List<Runnable> completions = new ArrayList<>(pendings.size());
    for (Pending<?> p : pendings) {
      completions.add(plan(p, batch));
    }
    if (!batch.isEmpty()) {
      try {
        vault.write(tx -> {
          batch.writeTo(tx);
          return null;
        });
      } catch (VaultException e) {
        failing = true;
        OutboxException failure = new OutboxException(OutboxException.Reason.STORAGE,
            "could not save to the vault: " + e.getMessage(), e);
        pendings.forEach(p -> p.done().completeExceptionally(failure));
        return;
      }
      failing = false;
      state.apply(batch);
    }
    completions.forEach(Runnable::run);
    if (batch.movesALaneHead()) {
      afterCommit.run();
    }
  }

  /** Plans one change; returns what completes its future once the batch is durable. */
  private static <T> Runnable plan(Pending<T> p, Batch batch) {
    try {
      T result = p.step().plan(batch);
      return () -> p.done().complete(result);
    } catch (OutboxException e) {
      return () -> p.done().completeExceptionally(e);
    } catch (RuntimeException e) {
      return () -> p.done().completeExceptionally(e);
    }
  }

  boolean failing() {
    return failing;
  }

  /** Lets queued changes commit, then stops the thread; a change that arrives after that is refused. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending<?>> late = new ArrayList<>();
    queue.drainTo(late);
    late.forEach(p -> p.done().completeExceptionally(closed()));
  }
}
