package dev.holdfast.provisioning.registry;

/**
 * Where the fleet's records live. Every change happens inside {@link #write}, which is atomic and
 * serialised: a decision made from what a transaction read (e.g. "this token is unused") still
 * holds when its changes are committed. A use case that refuses returns its refusal as a value
 * (see {@code dev.holdfast.common.Result}) after writing nothing, or only what it means to keep
 * (an audit event); an exception rolls everything back. Implementations: {@code
 * registry.mapdb.MapDbRegistry} (embedded, sealed in the vault); a relational one for fleets that
 * outgrow one machine. Both must pass the registry contract tests.
 */
public interface Registry extends AutoCloseable {
  /** Work done against a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(RegistryTx tx) throws RegistryException;
  }

  /**
   * Runs {@code work} in one transaction: when this returns, every change is durable; when it
   * throws, none is.
   */
  <T> T write(Work<T> work) throws RegistryException;

  /** Runs read-only {@code work}; any attempt to change something fails. */
  <T> T read(Work<T> work) throws RegistryException;

  /** The kinds of record whose changes {@link #generation} counts. */
  enum Table {
    DEVICES,
    CERTIFICATES,
    API_KEYS,
    TOKENS,
    IDEMPOTENCY,
    ROTATIONS,
    AUDIT,
    SECRETS,
    BROKER_RELOADS
  }

  /**
   * A counter that grows with every {@link #write} that changed {@code table}, read without any
   * lock, so a cache of what a read found can tell whether it still holds: it does while the
   * generation is the one read <em>before</em> that read. The counter moves after the change is
   * committed and before {@code write} returns, so once a revocation's {@code write} has returned
   * no cache keeps accepting the key. It may also move when nothing changed (a failed commit), which
   * costs a cache one read.
   */
  long generation(Table table);

  @Override
  void close();
}
