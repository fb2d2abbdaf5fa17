package dev.holdfast.provisioning.registry.mapdb;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.ApiKeys;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.AuditLog;
import dev.holdfast.provisioning.registry.BrokerReloads;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Certificates;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.Devices;
import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.provisioning.registry.IdempotencyRecords;
import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import dev.holdfast.provisioning.registry.RevokedCertificate;
import dev.holdfast.provisioning.registry.RotationRecord;
import dev.holdfast.provisioning.registry.Rotations;
import dev.holdfast.provisioning.registry.Secrets;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.registry.Tokens;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.VaultCollection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The aggregates of one MapDB transaction. Record keys that could reveal something (device ids, key
 * ids, idempotency keys) are stored only as HMACs (hidden collections); the audit log is ordered by a
 * sequence number, which reveals only how many events there are. Collection and counter names are
 * part of the file format: they never change.
 */
final class MapDbTx implements RegistryTx {
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
  static final VaultCollection<String, RotationRecord> ROTATIONS =
      VaultCollection.hidden("rotations", Codec.UTF8, RecordCodecs.ROTATION);
  static final VaultCollection<Long, AuditEvent> AUDIT =
      VaultCollection.ordered("audit", RecordCodecs.LONG, RecordCodecs.AUDIT);
  static final VaultCollection<String, Long> COUNTERS =
      VaultCollection.hidden("counters", Codec.UTF8, RecordCodecs.LONG);
  static final VaultCollection<String, Secret> SECRETS =
      VaultCollection.hidden("secrets", Codec.UTF8, Codec.SECRET);
  static final VaultCollection<String, PendingReload> BROKER_RELOADS =
      VaultCollection.hidden("broker-reloads", Codec.UTF8, RecordCodecs.PENDING_RELOAD);
  private static final String BROKER = "broker";
  /** The table each collection holds, for {@link MapDbRegistry#generation}; counters belong to none. */
  static final Map<String, Registry.Table> TABLES = Map.of(
      DEVICES.name(), Registry.Table.DEVICES,
      CERTIFICATES.name(), Registry.Table.CERTIFICATES,
      API_KEYS.name(), Registry.Table.API_KEYS,
      TOKENS.name(), Registry.Table.TOKENS,
      IDEMPOTENCY.name(), Registry.Table.IDEMPOTENCY,
      ROTATIONS.name(), Registry.Table.ROTATIONS,
      AUDIT.name(), Registry.Table.AUDIT,
      SECRETS.name(), Registry.Table.SECRETS,
      BROKER_RELOADS.name(), Registry.Table.BROKER_RELOADS);

  private final Access access;
  private final Indexes indexes;
  private final Indexes.Puts puts;

  /** @param puts filled with what this transaction puts that the {@code indexes} learn once it committed */
  MapDbTx(Access access, Indexes indexes, Indexes.Puts puts) {
    this.access = access;
    this.indexes = indexes;
    this.puts = puts;
  }

  @Override
  public Devices devices() {
    return new MapDbDevices(access);
  }

  @Override
  public Certificates certificates() {
    return new MapDbCertificates(access, indexes.revoked, puts.certificates);
  }

  @Override
  public ApiKeys apiKeys() {
    return new MapDbApiKeys(access, indexes.keys, puts.keys);
  }

  @Override
  public Tokens tokens() {
    return new MapDbTokens(access);
  }

  @Override
  public IdempotencyRecords idempotency() {
    return new MapDbIdempotency(access);
  }

  @Override
  public Rotations rotations() {
    return new MapDbRotations(access);
  }

  @Override
  public AuditLog audit() {
    return new AuditLog() {
      @Override
      public void append(AuditEvent event) throws RegistryException {
        access.put(AUDIT, nextCounter(access, "audit"), event);
      }

      @Override
      public List<AuditEvent> all() throws RegistryException {
        return MapDbRegistry.reading(() -> access.entries(AUDIT)).stream().map(Map.Entry::getValue).toList();
      }
    };
  }

  @Override
  public Secrets secrets() {
    return new Secrets() {
      @Override
      public Optional<Secret> find(String name) throws RegistryException {
        return MapDbRegistry.reading(() -> access.get(SECRETS, name));
      }

      @Override
      public void put(String name, Secret value) {
        access.put(SECRETS, name, value);
      }
    };
  }

  @Override
  public BrokerReloads brokerReloads() {
    return new BrokerReloads() {
      @Override
      public Optional<PendingReload> pending() throws RegistryException {
        return MapDbRegistry.reading(() -> access.get(BROKER_RELOADS, BROKER));
      }

      @Override
      public void put(PendingReload pending) {
        access.put(BROKER_RELOADS, BROKER, pending);
      }

      @Override
      public void clear() {
        access.remove(BROKER_RELOADS, BROKER);
      }
    };
  }

  /** Increments and returns a named counter (first value 1). */
  static long nextCounter(Access access, String name) throws RegistryException {
    long next = MapDbRegistry.reading(() -> access.get(COUNTERS, name)).orElse(0L) + 1;
    access.put(COUNTERS, name, next);
    return next;
  }

  private static final class MapDbDevices extends MapDbKeyed<String, Device> implements Devices {
    MapDbDevices(Access access) {
      super(access, DEVICES, Function.identity(), Device::id);
    }
  }

  /** Certificates; the revoked ones (for the CRL) come from the {@link RevokedIndex}, not from reading all. */
  private static final class MapDbCertificates extends MapDbKeyed<String, CertificateRecord> implements Certificates {
    private final Access access;
    private final RevokedIndex index;
    private final Map<String, CertificateRecord> certificatesPut;

    MapDbCertificates(Access access, RevokedIndex index, Map<String, CertificateRecord> certificatesPut) {
      super(access, CERTIFICATES, Function.identity(), CertificateRecord::serial);
      this.access = access;
      this.index = index;
      this.certificatesPut = certificatesPut;
    }

    @Override
    public void put(CertificateRecord record) {
      super.put(record);
      certificatesPut.put(record.serial(), record);
    }

    @Override
    public Optional<CertificateRecord> putIfAbsent(CertificateRecord record) throws RegistryException {
      Optional<CertificateRecord> there = super.putIfAbsent(record);
      if (there.isEmpty()) {
        certificatesPut.put(record.serial(), record);
      }
      return there;
    }

    @Override
    public List<RevokedCertificate> revokedUnexpired(Instant now) throws RegistryException {
      Optional<SortedMap<String, RevokedCertificate>> indexed = index.unexpired(now);
      if (indexed.isEmpty()) {
        long at = index.commits();
        List<CertificateRecord> all = all();
        index.install(all, at);
        return Certificates.revokedUnexpired(all, now);
      }
      SortedMap<String, RevokedCertificate> out = indexed.get();
      // and this transaction's, not committed yet
      Certificates.revokedUnexpired(certificatesPut.values(), now).forEach(r -> out.put(r.serial(), r));
      return List.copyOf(out.values());
    }

    @Override
    public long nextCrlNumber() throws RegistryException {
      return nextCounter(access, "crl-number");
    }
  }

  /** API keys; a device's are found through the {@link DeviceKeyIndex}, not by reading every key. */
  private static final class MapDbApiKeys extends MapDbKeyed<String, ApiKeyRecord> implements ApiKeys {
    private final DeviceKeyIndex index;
    private final Map<String, String> keysPut;

    MapDbApiKeys(Access access, DeviceKeyIndex index, Map<String, String> keysPut) {
      super(access, API_KEYS, Function.identity(), ApiKeyRecord::id);
      this.index = index;
      this.keysPut = keysPut;
    }

    @Override
    public void put(ApiKeyRecord record) {
      super.put(record);
      keysPut.put(record.id(), record.deviceId());
    }

    @Override
    public Optional<ApiKeyRecord> putIfAbsent(ApiKeyRecord record) throws RegistryException {
      Optional<ApiKeyRecord> there = super.putIfAbsent(record);
      keysPut.put(record.id(), record.deviceId());
      return there;
    }

    @Override
    public List<ApiKeyRecord> ofDevice(String deviceId) throws RegistryException {
      Optional<Set<String>> indexed = index.idsOf(deviceId);
      if (indexed.isEmpty()) {
        long at = index.commits();
        List<ApiKeyRecord> all = all();
        index.install(all, at);
        return all.stream().filter(k -> k.deviceId().equals(deviceId)).toList();
      }
      Set<String> ids = new TreeSet<>(indexed.get());
      keysPut.forEach((key, device) -> {
        if (device.equals(deviceId)) {
          ids.add(key);
        }
      });
      List<ApiKeyRecord> out = new ArrayList<>();
      for (String id : ids) {
        find(id).filter(k -> k.deviceId().equals(deviceId)).ifPresent(out::add);
      }
      return out;
    }
  }

  private static final class MapDbTokens extends MapDbKeyed<String, TokenRecord> implements Tokens {
    MapDbTokens(Access access) {
      super(access, TOKENS, Function.identity(), TokenRecord::id);
    }
  }

  private static final class MapDbRotations extends MapDbKeyed<String, RotationRecord> implements Rotations {
    private static final String CAMPAIGN_CHANGES = "campaign-changes";
    private final Access access;

    MapDbRotations(Access access) {
      super(access, ROTATIONS, Function.identity(), RotationRecord::deviceId);
      this.access = access;
    }

    @Override
    public long campaignChanges() throws RegistryException {
      return MapDbRegistry.reading(() -> access.get(COUNTERS, CAMPAIGN_CHANGES)).orElse(0L);
    }

    @Override
    public void campaignChanged() throws RegistryException {
      nextCounter(access, CAMPAIGN_CHANGES);
    }
  }

  private static final class MapDbIdempotency extends MapDbKeyed<IdempotencyRecord.Key, IdempotencyRecord>
      implements IdempotencyRecords {
    MapDbIdempotency(Access access) {
      super(access, IDEMPOTENCY, k -> k.keyId() + "\n" + k.idempotencyKey(), IdempotencyRecord::key);
    }
  }
}
