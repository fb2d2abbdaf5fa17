package dev.holdfast.provisioning.testing;

import dev.holdfast.provisioning.registry.RegistryException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a test's wrapper around a real store does to its writes: counts them, fails them as a full
 * or broken disk would, or holds each between its work and its commit.
 */
public class WriteFaults {
  public final AtomicBoolean failWrites = new AtomicBoolean();
  public final AtomicInteger writes = new AtomicInteger();
  /** When set, each write runs its work, then waits for this latch before it commits. */
  public final AtomicReference<CountDownLatch> holdCommits = new AtomicReference<>();

  /** Counts a write and fails it when asked to; returns the latch it must hold on, if any. */
  protected final CountDownLatch enter() throws RegistryException {
    writes.incrementAndGet();
    if (failWrites.get()) {
      throw new RegistryException(RegistryException.Reason.IO, "injected: no space left on device",
          new java.io.IOException("No space left on device"));
    }
    return holdCommits.get();
  }

  /** {@code result}, once {@code hold} (if any) is released. */
  protected static <T> T held(T result, CountDownLatch hold) {
    if (hold != null) {
      try {
        hold.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return result;
  }
}
