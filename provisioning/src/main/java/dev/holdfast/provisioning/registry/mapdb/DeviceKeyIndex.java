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
 * every renew) are a few lookups instead of reading and opening every key of the fleet. Built by the
 * first scan that asks for it, then kept by every commit that puts keys; API keys are never removed
 * and never change device, so the index only grows. A scan is installed only when no commit came
 * between its start and its end; an id of a transaction that rolled back costs one lookup that finds
 * nothing. A commit that failed (and may have landed) drops the index: the next scan rebuilds it.
 */
final class DeviceKeyIndex {
  private Map<String, Set<String>> byDevice; // null until built
  private long commits;

  /** The committed key ids of {@code deviceId}, or empty while there is no index. */
  synchronized Optional<Set<String>> idsOf(String deviceId) {
    return byDevice == null ? Optional.empty() : Optional.of(Set.copyOf(byDevice.getOrDefault(deviceId, Set.of())));
  }

  /** What {@link #install} compares: how many commits have changed keys so far. */
  synchronized long commits() {
    return commits;
  }

  /** Installs the index of {@code keys}, read by a scan begun when {@link #commits} was {@code at}. */
  synchronized void install(Collection<ApiKeyRecord> keys, long at) {
    if (byDevice != null || commits != at) {
      return;
    }
    Map<String, Set<String>> index = new HashMap<>();
    keys.forEach(k -> index.computeIfAbsent(k.deviceId(), d -> new HashSet<>()).add(k.id()));
    byDevice = index;
  }

  /** After a commit that put keys: those keys, by id, with their devices. */
  synchronized void committed(Map<String, String> deviceOfKey) {
    commits++;
    if (byDevice != null) {
      deviceOfKey.forEach((key, device) -> byDevice.computeIfAbsent(device, d -> new HashSet<>()).add(key));
    }
  }

  /** After a commit that failed, which may still have landed: rebuilt by the next scan. */
  synchronized void forget() {
    commits++;
    byDevice = null;
  }
}
