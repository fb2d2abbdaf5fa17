package dev.holdfast.provisioning.registry;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** The one change the broker has not taken yet, if any ({@link PendingReload}). */
public interface BrokerReloads {
  Optional<PendingReload> pending() throws RegistryException;

  void put(PendingReload pending) throws RegistryException;

  void clear() throws RegistryException;

  /** Records {@code what} as not yet taken by the broker, with the devices whose sessions must be cut. */
  default void markPending(Instant at, String what, Set<String> cut) throws RegistryException {
    put(PendingReload.add(pending(), at, what, cut));
  }
}
