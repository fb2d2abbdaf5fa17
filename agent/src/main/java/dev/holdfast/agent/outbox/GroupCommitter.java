package dev.holdfast.agent.outbox;

import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * One thread that turns every change waiting at a moment into one vault transaction: the first
 * change waits for nothing, and all that arrive while a commit is on disk share the next one.
 * Memory is updated only after the commit, so what readers see is always on disk.
 */
final class GroupCommitter implements AutoCloseable {
  /** Plans one change against the batch; throws to refuse it (the rest of the batch goes on). */
  @FunctionalInterface
  interface Step<T> {
    T plan(Batch batch) throws OutboxException;
  }

  private static final int MAX_BATCH = 4096;

  private record Pending<T>(Step<T> step, CompletableFuture<T> done) {}

  private final Vault vault;
  private final State state;
  private final java.util.function.Supplier<Batch> batches;
  private final Runnable afterCommit;
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;

  GroupCommitter(Vault vault, State state, java.util.function.Supplier<Batch> batches, Runnable afterCommit) {
    this.vault = vault;
    this.state = state;
    this.batches = batches;
    this.afterCommit = afterCommit;
    this.thread = new Thread(this::loop, "outbox-commit");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Submits a change and waits until it is durable (or refused). */
  <T> T submit(Step<T> step) throws OutboxException {
    return await(submitAsync(step));
  }

  /**
   * Submits a change; the future completes once it is durable, and after the in-memory state shows
   * it, or fails with an {@link OutboxException}.
   */
  <T> CompletableFuture<T> submitAsync(Step<T> step) {
    CompletableFuture<T> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(closed());
      return done;
    }
    queue.add(new Pending<>(step, done));
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
    List<Pending<?>> batch = new ArrayList<>();
    while (true) {
      try {
        Pending<?> first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.clear();
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        Logger.error(e, "outbox committer failed; the batch was refused");
        batch.forEach(p -> p.done().completeExceptionally(e));
      }
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
        OutboxException failure = new OutboxException(OutboxException.Reason.STORAGE,
            "could not save to the vault: " + e.getMessage(), e);
        pendings.forEach(p -> p.done().completeExceptionally(failure));
        return;
      }
      state.apply(batch);
    }
    completions.forEach(Runnable::run);
    if (!batch.isEmpty()) {
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
