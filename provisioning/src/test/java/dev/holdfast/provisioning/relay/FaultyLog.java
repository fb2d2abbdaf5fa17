package dev.holdfast.provisioning.relay;

import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.testing.WriteFaults;
import java.util.concurrent.CountDownLatch;

/** A real idempotency log whose writes are counted, and failed or held when a test asks. */
final class FaultyLog extends WriteFaults implements IdempotencyTarget {
  private final IdempotencyLog real;

  FaultyLog(IdempotencyLog real) {
    this.real = real;
  }

  @Override
  public <T> T write(Change<T> change) throws RegistryException {
    CountDownLatch hold = enter();
    return real.write(records -> held(change.run(records), hold));
  }
}
