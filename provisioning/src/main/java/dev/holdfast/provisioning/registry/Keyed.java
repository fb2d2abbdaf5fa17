package dev.holdfast.provisioning.registry;

import java.util.List;
import java.util.Optional;

/**
 * Records of one kind, each found by its key (which the record itself carries). Valid only inside
 * the {@link Registry} transaction that handed it out; a read transaction refuses {@link #put}.
 *
 * @param <K> the key
 * @param <V> the record
 */
public interface Keyed<K, V> {
  Optional<V> find(K key) throws RegistryException;

  /** Every record, in no promised order. */
  List<V> all() throws RegistryException;

  /** Adds the record, or replaces the one with its key. */
  void put(V record) throws RegistryException;

  /**
   * Adds the record unless one with its key is there, looking the key up once: the record that is
   * there (left as it is), or empty when this one was added.
   */
  Optional<V> putIfAbsent(V record) throws RegistryException;

  /** @return whether there was a record to remove */
  boolean remove(K key) throws RegistryException;
}
