package dev.holdfast.vault;

import java.nio.file.Path;
import java.util.Map;

/** What {@code vault status} shows: nothing secret, not even record keys. */
public record VaultStatus(
    Path file, int formatVersion, Map<String, Long> recordsPerCollection, long fileBytes, String keyOrigin) {
  public VaultStatus {
    recordsPerCollection = Map.copyOf(recordsPerCollection);
  }

  public long totalRecords() {
    return recordsPerCollection.values().stream().mapToLong(Long::longValue).sum();
  }
}
