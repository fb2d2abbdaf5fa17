package dev.holdfast.provisioning.testing;

import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.util.concurrent.CountDownLatch;

/**
 * A real registry whose writes can be made to fail as a full or broken disk would, or be held between
 * their work and their commit, and which counts its write transactions (each one a durable commit).
 */
public final class FaultyRegistry extends WriteFaults implements Registry {
  private final Registry real;

  public FaultyRegistry(Registry real) {
    this.real = real;
  }

  @Override
  public <T> T write(Work<T> work) throws RegistryException {
    CountDownLatch hold = enter();
    return real.write(tx -> held(work.run(tx), hold));
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
