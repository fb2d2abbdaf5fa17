package dev.holdfast.provisioning.testing;

import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real registry whose writes can be made to fail as a full or broken disk would, and which counts
 * its write transactions (each one a durable commit).
 */
public final class FaultyRegistry implements Registry {
  private final Registry real;
  public final AtomicBoolean failWrites = new AtomicBoolean();
  public final AtomicInteger writes = new AtomicInteger();

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
    return real.write(work);
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
