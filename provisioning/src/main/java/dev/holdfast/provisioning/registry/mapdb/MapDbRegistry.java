package dev.holdfast.provisioning.registry.mapdb;

import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The embedded registry: every record sealed in one vault file (MapDB underneath). Writes are
 * serialised by the vault's write lock, which is what makes read-decide-write sequences (token
 * redemption, idempotency) atomic; a {@link RegistryException} thrown by the work rolls the vault
 * transaction back and comes out as it is. One registry per vault: {@link #generation} counts the
 * changes made through this object, which sees them all since the vault's file is locked to one
 * process and the registry owns the vault.
 */
public final class MapDbRegistry implements Registry {
  private final Vault vault;
  private final AtomicLongArray generations = new AtomicLongArray(Table.values().length);
  private final Indexes indexes = new Indexes();

  /** Takes ownership of {@code vault}: closing the registry closes it. */
  public MapDbRegistry(Vault vault) {
    this.vault = vault;
  }

  @Override
  public <T> T write(Work<T> work) throws RegistryException {
    Set<Table> changed = EnumSet.noneOf(Table.class);
    Indexes.Puts puts = new Indexes.Puts();
    boolean committed = false;
    try {
      T result = vault.write(tx -> work.run(new MapDbTx(Access.of(tx, changed), indexes, puts)));
      committed = true;
      return result;
    } catch (VaultException e) {
      throw translate(e);
    } finally {
      indexes.after(puts, committed);
      // After the commit, before returning; also after a failure, as a failed commit may have landed.
      changed.forEach(t -> generations.incrementAndGet(t.ordinal()));
    }
  }

  @Override
  public long generation(Table table) {
    return generations.get(table.ordinal());
  }

  @Override
  public <T> T read(Work<T> work) throws RegistryException {
    return work.run(new MapDbTx(Access.readOnly(vault), indexes, new Indexes.Puts()));
  }

  @Override
  public void close() {
    vault.close();
  }

  @Override
  public String toString() {
    return "MapDbRegistry[" + vault.file() + "]";
  }

  /** A read of the vault. */
  @FunctionalInterface
  interface VaultRead<T> {
    T read() throws VaultException;
  }

  /** {@code read}, with a vault failure reported as the registry's. */
  static <T> T reading(VaultRead<T> read) throws RegistryException {
    try {
      return read.read();
    } catch (VaultException e) {
      throw translate(e);
    }
  }

  static RegistryException translate(VaultException e) {
    RegistryException.Reason reason = switch (e.reason()) {
      case LOCKED -> RegistryException.Reason.LOCKED;
      case IO -> RegistryException.Reason.IO;
      default -> RegistryException.Reason.CORRUPT;
    };
    return new RegistryException(reason, e.getMessage(), e);
  }
}
