package dev.holdfast.provisioning.registry.mapdb;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which API keys each device has, in memory, so that a device's keys (a rotation asks for them on
 * every renew) are a few lookups instead of reading and opening every key of the fleet. Kept as
 * {@link CommitKeptIndex} says; API keys are never removed and never change device, so the index
 * only grows. An id of a transaction that rolled back costs one lookup that finds nothing.
 */
final class DeviceKeyIndex extends CommitKeptIndex<Map<String, Set<String>>> {
  /** The committed key ids of {@code deviceId}, or empty while there is no index. */
  Optional<Set<String>> idsOf(String deviceId) {
    return reading(byDevice -> Set.copyOf(byDevice.getOrDefault(deviceId, Set.of())));
  }

  /** Installs the index of {@code keys}, read by a scan begun when {@link #commits} was {@code at}. */
  void install(Collection<ApiKeyRecord> keys, long at) {
    installing(() -> {
      Map<String, Set<String>> byDevice = new HashMap<>();
      keys.forEach(k -> byDevice.computeIfAbsent(k.deviceId(), d -> new HashSet<>()).add(k.id()));
      return byDevice;
    }, at);
  }

  /** After a transaction that put keys, by id, with their devices. */
  void after(boolean committed, Map<String, String> deviceOfKey) {
    after(committed, byDevice -> deviceOfKey.forEach((key, device) ->
        byDevice.computeIfAbsent(device, d -> new HashSet<>()).add(key)));
  }
}
