package dev.holdfast.bench.enrollment;

import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real registry, with its write transactions counted: each {@link #write} that returns is one
 * durable commit, so commits per enrollment = counted writes / enrollments.
 */
final class CountingRegistry implements Registry {
  private final Registry delegate;
  private final AtomicLong writes = new AtomicLong();

  CountingRegistry(Registry delegate) {
    this.delegate = delegate;
  }

  long writes() {
    return writes.get();
  }

  @Override
  public <T> T write(Work<T> work) throws RegistryException {
    T result = delegate.write(work);
    writes.incrementAndGet();
    return result;
  }

  @Override
  public <T> T read(Work<T> work) throws RegistryException {
    return delegate.read(work);
  }

  @Override
  public long generation(Table table) {
    return delegate.generation(table);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
