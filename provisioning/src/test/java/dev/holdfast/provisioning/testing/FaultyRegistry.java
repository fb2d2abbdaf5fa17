package dev.holdfast.provisioning.testing;

import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real registry whose writes can be made to fail as a full or broken disk would, or be held between
 * their work and their commit, and which counts its write transactions (each one a durable commit).
 */
public final class FaultyRegistry implements Registry {
  private final Registry real;
  public final AtomicBoolean failWrites = new AtomicBoolean();
  public final AtomicInteger writes = new AtomicInteger();
  /** When set, each write runs its work, then waits for this latch before it commits. */
  public final AtomicReference<CountDownLatch> holdCommits = new AtomicReference<>();

  public FaultyRegistry(Registry real) {
    this.real = real;
  }

  @Override
  public <T> T write(Work<T> work) throws RegistryException {
    writes.incrementAndGet();
    if (failWrites.get()) {
      throw new RegistryException(RegistryException.Reason.IO, "injected: no space left on device",
          new java.io.IOException("No space left on device"));
    }
    CountDownLatch hold = holdCommits.get();
    if (hold == null) {
      return real.write(work);
    }
    return real.write(tx -> {
      T result = work.run(tx);
      try {
        hold.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return result;
    });
  }

  @Override
  public <T> T read(Work<T> work) throws RegistryException {
    return real.read(work);
  }

  @Override
  public long generation(Table table) {
    return real.generation(table);
  }

  @Override
  public void close() {
    real.close();
  }
}
