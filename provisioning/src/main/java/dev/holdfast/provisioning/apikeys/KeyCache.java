package dev.holdfast.provisioning.apikeys;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the registry last said about a key id: its record (scopes, expiry, state, the HMAC of the
 * key, never the key) and whether its device is active. An entry holds while the registry's
 * generations of the api-keys and devices tables are those read before the entry was read; any
 * committed change to either table (a revocation, a device revoked, a grace window, a key's use
 * written) makes the next look-up read the registry again. So a request checks its key without
 * the vault's lock, which the idempotency commits hold most of the time under load, and a
 * revocation is refused as soon as its {@code write} has returned.
 *
 * <p>Only ids the registry has are kept (an unknown id is read every time, as before), so the
 * cache holds at most one entry per key ever made while the process runs. The decision itself
 * (HMAC comparison, revoked, grace, expiry against the clock) is made again on every request by
 * {@link ApiKeyService#verify}.
 */
final class KeyCache {
  /** A key's record and its device's state, read in one transaction. */
  record Found(ApiKeyRecord key, boolean deviceActive) {}

  private record Entry(Found found, long generation) {}

  private final Registry registry;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  KeyCache(Registry registry) {
    this.registry = registry;
  }

  /** The key with {@code id} and its device's state, as committed now. */
  Optional<Found> find(String id) throws RegistryException {
    long generation = generation();
    Entry cached = entries.get(id);
    if (cached != null && cached.generation() == generation) {
      return Optional.of(cached.found());
    }
    Optional<Found> found = registry.read(tx -> {
      Optional<ApiKeyRecord> k = tx.apiKeys().find(id);
      return k.isEmpty() ? Optional.<Found>empty() : Optional.of(new Found(k.get(),
          tx.devices().find(k.get().deviceId()).map(d -> d.state() == Device.State.ACTIVE).orElse(false)));
    });
    if (found.isPresent()) {
      // A slower reader must not replace a newer entry with an older one.
      entries.merge(id, new Entry(found.get(), generation), (old, fresh) ->
          fresh.generation() >= old.generation() ? fresh : old);
    } else {
      entries.remove(id);
    }
    return found;
  }

  /** Both counters only grow, so their sum changes whenever either does. */
  private long generation() {
    return registry.generation(Registry.Table.API_KEYS) + registry.generation(Registry.Table.DEVICES);
  }

  /** The records held now, for tests that check what is kept. */
  List<Found> held() {
    return entries.values().stream().map(Entry::found).toList();
  }
}
