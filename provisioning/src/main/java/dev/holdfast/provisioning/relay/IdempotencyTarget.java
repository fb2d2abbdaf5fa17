package dev.holdfast.provisioning.relay;

import dev.holdfast.provisioning.registry.IdempotencyRecords;
import dev.holdfast.provisioning.registry.RegistryException;

/**
 * Where {@link GroupCommit} commits the idempotency store's changes: {@link IdempotencyLog}, or a
 * test's wrapper around it.
 */
interface IdempotencyTarget {
  /** Changes made through the records handed in; they are valid only inside that call. */
  @FunctionalInterface
  interface Change<T> {
    T run(IdempotencyRecords records) throws RegistryException;
  }

  /**
   * Runs {@code change} alone against the records: when this returns, every change it made is
   * durable; when it throws, none was made.
   */
  <T> T write(Change<T> change) throws RegistryException;
}
