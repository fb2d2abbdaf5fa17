package dev.holdfast.provisioning.registry.mapdb;

import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The vault operations the registry's tables need: inside a write transaction, or read-only. */
interface Access {
  <K, V> Optional<V> get(VaultCollection<K, V> c, K key) throws VaultException;

  <K, V> List<Map.Entry<K, V>> entries(VaultCollection<K, V> c) throws VaultException;

  <K, V> void put(VaultCollection<K, V> c, K key, V value);

  /** Puts unless the key is there; what is there, or empty when put. */
  <K, V> Optional<V> putIfAbsent(VaultCollection<K, V> c, K key, V value) throws VaultException;

  <K, V> boolean remove(VaultCollection<K, V> c, K key);

  /**
   * Reads and writes of one vault transaction; the table of every collection changed is added to
   * {@code changed}.
   */
  static Access of(Vault.Tx tx, Set<Registry.Table> changed) {
    return new Access() {
      @Override
      public <K, V> Optional<V> get(VaultCollection<K, V> c, K key) throws VaultException {
        return tx.get(c, key);
      }

      @Override
      public <K, V> List<Map.Entry<K, V>> entries(VaultCollection<K, V> c) throws VaultException {
        return tx.entries(c);
      }

      @Override
      public <K, V> void put(VaultCollection<K, V> c, K key, V value) {
        changing(c);
        tx.put(c, key, value);
      }

      @Override
      public <K, V> Optional<V> putIfAbsent(VaultCollection<K, V> c, K key, V value) throws VaultException {
        changing(c);
        return tx.putIfAbsent(c, key, value);
      }

      @Override
      public <K, V> boolean remove(VaultCollection<K, V> c, K key) {
        changing(c);
        return tx.remove(c, key);
      }

      private void changing(VaultCollection<?, ?> c) {
        Registry.Table t = MapDbTx.TABLES.get(c.name());
        if (t != null) {
          changed.add(t);
        }
      }
    };
  }

  /** Reads of the committed state; a change is refused. */
  static Access readOnly(Vault vault) {
    return new Access() {
      @Override
      public <K, V> Optional<V> get(VaultCollection<K, V> c, K key) throws VaultException {
        return vault.get(c, key);
      }

      @Override
      public <K, V> List<Map.Entry<K, V>> entries(VaultCollection<K, V> c) throws VaultException {
        return vault.entries(c);
      }

      @Override
      public <K, V> void put(VaultCollection<K, V> c, K key, V value) {
        throw refused(c);
      }

      @Override
      public <K, V> Optional<V> putIfAbsent(VaultCollection<K, V> c, K key, V value) {
        throw refused(c);
      }

      @Override
      public <K, V> boolean remove(VaultCollection<K, V> c, K key) {
        throw refused(c);
      }
    };
  }

  private static UnsupportedOperationException refused(VaultCollection<?, ?> c) {
    return new UnsupportedOperationException("registry read: use write() to change '" + c.name() + "'");
  }
}
