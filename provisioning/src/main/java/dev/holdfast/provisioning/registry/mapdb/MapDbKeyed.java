package dev.holdfast.provisioning.registry.mapdb;

import dev.holdfast.provisioning.registry.Keyed;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.vault.VaultCollection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** One kind of record in one hidden vault collection, keyed by a string made from the record's key. */
class MapDbKeyed<K, V> implements Keyed<K, V> {
  private final Access access;
  private final VaultCollection<String, V> collection;
  private final Function<K, String> storedKey;
  private final Function<V, K> keyOf;

  MapDbKeyed(Access access, VaultCollection<String, V> collection, Function<K, String> storedKey,
      Function<V, K> keyOf) {
    this.access = access;
    this.collection = collection;
    this.storedKey = storedKey;
    this.keyOf = keyOf;
  }

  @Override
  public Optional<V> find(K key) throws RegistryException {
    return MapDbRegistry.reading(() -> access.get(collection, storedKey.apply(key)));
  }

  @Override
  public List<V> all() throws RegistryException {
    return MapDbRegistry.reading(() -> access.entries(collection)).stream().map(Map.Entry::getValue).toList();
  }

  @Override
  public void put(V record) {
    access.put(collection, storedKey.apply(keyOf.apply(record)), record);
  }

  @Override
  public Optional<V> putIfAbsent(V record) throws RegistryException {
    return MapDbRegistry.reading(() -> access.putIfAbsent(collection, storedKey.apply(keyOf.apply(record)), record));
  }

  @Override
  public boolean remove(K key) {
    return access.remove(collection, storedKey.apply(key));
  }
}
