package dev.holdfast.provisioning.registry;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded registry: every record sealed in one vault file (MapDB underneath). Record keys
 * that could reveal something (device ids, key ids, idempotency keys) are stored only as HMACs;
 * the audit log is ordered by a sequence number, which reveals only how many events there are.
 *
 * <p>Writes are serialised by the vault's write lock, which is what makes read-decide-write
 * sequences (token redemption, idempotency) atomic.
 */
public final class MapDbRegistry implements Registry {
  static final VaultCollection<String, Device> DEVICES =
      VaultCollection.hidden("devices", Codec.UTF8, RecordCodecs.DEVICE);
  static final VaultCollection<String, CertificateRecord> CERTIFICATES =
      VaultCollection.hidden("certificates", Codec.UTF8, RecordCodecs.CERTIFICATE);
  static final VaultCollection<String, ApiKeyRecord> API_KEYS =
      VaultCollection.hidden("api-keys", Codec.UTF8, RecordCodecs.API_KEY);
  static final VaultCollection<String, TokenRecord> TOKENS =
      VaultCollection.hidden("tokens", Codec.UTF8, RecordCodecs.TOKEN);
  static final VaultCollection<String, IdempotencyRecord> IDEMPOTENCY =
      VaultCollection.hidden("idempotency", Codec.UTF8, RecordCodecs.IDEMPOTENCY);
  static final VaultCollection<Long, AuditEvent> AUDIT =
      VaultCollection.ordered("audit", RecordCodecs.LONG, RecordCodecs.AUDIT);
  static final VaultCollection<String, Long> COUNTERS =
      VaultCollection.hidden("counters", Codec.UTF8, RecordCodecs.LONG);
  static final VaultCollection<String, Secret> SECRETS =
      VaultCollection.hidden("secrets", Codec.UTF8, Codec.SECRET);

  private final Vault vault;

  /** Takes ownership of {@code vault}: closing the registry closes it. */
  public MapDbRegistry(Vault vault) {
    this.vault = vault;
  }

  @Override
  public <T> T write(Work<T> work) throws RegistryException {
    try {
      return vault.write(tx -> {
        try {
          return work.run(new View(new TxAccess(tx)));
        } catch (RegistryException e) {
          throw new Tunnel(e);
        }
      });
    } catch (Tunnel t) {
      throw t.inner;
    } catch (VaultException e) {
      throw translate(e);
    }
  }

  @Override
  public <T> T read(Work<T> work) throws RegistryException {
    return work.run(new View(new ReadOnlyAccess(vault)));
  }

  @Override
  public void close() {
    vault.close();
  }

  @Override
  public String toString() {
    return "MapDbRegistry[" + vault.file() + "]";
  }

  static RegistryException translate(VaultException e) {
    RegistryException.Reason reason = switch (e.reason()) {
      case LOCKED -> RegistryException.Reason.LOCKED;
      case IO -> RegistryException.Reason.IO;
      default -> RegistryException.Reason.CORRUPT;
    };
    return new RegistryException(reason, e.getMessage(), e);
  }

  /** Carries a checked registry failure out of the vault's transaction, which then rolls back. */
  private static final class Tunnel extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RegistryException inner;

    Tunnel(RegistryException inner) {
      super(inner.getMessage(), null, false, false);
      this.inner = inner;
    }
  }

  /** The three primitive operations the typed view needs. */
  private interface Access {
    <K, V> Optional<V> get(VaultCollection<K, V> c, K key) throws VaultException;

    <K, V> List<Map.Entry<K, V>> entries(VaultCollection<K, V> c) throws VaultException;

    <K, V> void put(VaultCollection<K, V> c, K key, V value);

    <K, V> void remove(VaultCollection<K, V> c, K key);
  }

  private static final class TxAccess implements Access {
    private final Vault.Tx tx;

    TxAccess(Vault.Tx tx) {
      this.tx = tx;
    }

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
      tx.put(c, key, value);
    }

    @Override
    public <K, V> void remove(VaultCollection<K, V> c, K key) {
      tx.remove(c, key);
    }
  }

  private static final class ReadOnlyAccess implements Access {
    private final Vault vault;

    ReadOnlyAccess(Vault vault) {
      this.vault = vault;
    }

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
      throw new UnsupportedOperationException("registry read: use write() to change '" + c.name() + "'");
    }

    @Override
    public <K, V> void remove(VaultCollection<K, V> c, K key) {
      throw new UnsupportedOperationException("registry read: use write() to change '" + c.name() + "'");
    }
  }

  /** Typed operations over an {@link Access}. */
  private static final class View implements RegistryTx {
    private final Access a;

    View(Access a) {
      this.a = a;
    }

    private <K, V> Optional<V> get(VaultCollection<K, V> c, K key) throws RegistryException {
      try {
        return a.get(c, key);
      } catch (VaultException e) {
        throw translate(e);
      }
    }

    private <K, V> List<V> values(VaultCollection<K, V> c) throws RegistryException {
      try {
        return a.entries(c).stream().map(Map.Entry::getValue).toList();
      } catch (VaultException e) {
        throw translate(e);
      }
    }

    @Override
    public Optional<Device> device(String id) throws RegistryException {
      return get(DEVICES, id);
    }

    @Override
    public List<Device> devices() throws RegistryException {
      return values(DEVICES);
    }

    @Override
    public void put(Device device) {
      a.put(DEVICES, device.id(), device);
    }

    @Override
    public Optional<CertificateRecord> certificate(String serial) throws RegistryException {
      return get(CERTIFICATES, serial);
    }

    @Override
    public List<CertificateRecord> certificates() throws RegistryException {
      return values(CERTIFICATES);
    }

    @Override
    public void put(CertificateRecord certificate) {
      a.put(CERTIFICATES, certificate.serial(), certificate);
    }

    @Override
    public Optional<ApiKeyRecord> apiKey(String id) throws RegistryException {
      return get(API_KEYS, id);
    }

    @Override
    public List<ApiKeyRecord> apiKeys() throws RegistryException {
      return values(API_KEYS);
    }

    @Override
    public void put(ApiKeyRecord key) {
      a.put(API_KEYS, key.id(), key);
    }

    @Override
    public Optional<TokenRecord> token(String id) throws RegistryException {
      return get(TOKENS, id);
    }

    @Override
    public List<TokenRecord> tokens() throws RegistryException {
      return values(TOKENS);
    }

    @Override
    public void put(TokenRecord token) {
      a.put(TOKENS, token.id(), token);
    }

    private static String idempotencyId(String keyId, String idempotencyKey) {
      return keyId + "\n" + idempotencyKey;
    }

    @Override
    public Optional<IdempotencyRecord> idempotency(String keyId, String idempotencyKey) throws RegistryException {
      return get(IDEMPOTENCY, idempotencyId(keyId, idempotencyKey));
    }

    @Override
    public List<IdempotencyRecord> idempotencyRecords() throws RegistryException {
      return values(IDEMPOTENCY);
    }

    @Override
    public void put(IdempotencyRecord record) {
      a.put(IDEMPOTENCY, idempotencyId(record.keyId(), record.idempotencyKey()), record);
    }

    @Override
    public void removeIdempotency(String keyId, String idempotencyKey) {
      a.remove(IDEMPOTENCY, idempotencyId(keyId, idempotencyKey));
    }

    @Override
    public void append(AuditEvent event) throws RegistryException {
      a.put(AUDIT, nextCounter("audit"), event);
    }

    @Override
    public List<AuditEvent> auditEvents() throws RegistryException {
      return values(AUDIT);
    }

    @Override
    public long nextCounter(String name) throws RegistryException {
      long next = get(COUNTERS, name).orElse(0L) + 1;
      a.put(COUNTERS, name, next);
      return next;
    }

    @Override
    public Optional<Secret> secret(String name) throws RegistryException {
      return get(SECRETS, name);
    }

    @Override
    public void putSecret(String name, Secret value) {
      a.put(SECRETS, name, value);
    }
  }
}
