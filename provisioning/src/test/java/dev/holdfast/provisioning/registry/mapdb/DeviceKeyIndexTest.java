package dev.holdfast.provisioning.registry.mapdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceKeyIndexTest {
  static ApiKeyRecord key(String id, String device) {
    Instant t = Instant.parse("2026-12-01T00:00:00Z");
    return new ApiKeyRecord(id, device, new byte[] {1}, Set.of("messages:send"), t, t.plusSeconds(60),
        ApiKeyRecord.State.ACTIVE, Optional.empty(), Optional.empty());
  }

  @Test
  void hasNoAnswerUntilAScanIsInstalledThenKeepsEveryCommit() {
    DeviceKeyIndex index = new DeviceKeyIndex();
    assertThat(index.idsOf("dev-1")).isEmpty();

    index.install(List.of(key("K1", "dev-1"), key("K2", "dev-2")), index.commits());
    index.after(true, Map.of("K3", "dev-1"));

    assertThat(index.idsOf("dev-1")).contains(Set.of("K1", "K3"));
    assertThat(index.idsOf("dev-9")).contains(Set.of());
  }

  @Test
  void aScanOverlappedByACommitIsNotInstalled() {
    DeviceKeyIndex index = new DeviceKeyIndex();
    long at = index.commits();
    index.after(true, Map.of("K9", "dev-1")); // landed while the scan was reading

    index.install(List.of(key("K1", "dev-1")), at);

    assertThat(index.idsOf("dev-1")).as("the scan may have missed K9").isEmpty();
  }

  @Test
  void aFailedCommitDropsTheIndexAndAScanBegunBeforeItIsNotInstalled() {
    DeviceKeyIndex index = new DeviceKeyIndex();
    index.install(List.of(key("K1", "dev-1")), index.commits());
    long at = index.commits();

    index.after(false, Map.of()); // a commit that failed, and may have landed
    index.install(List.of(key("K1", "dev-1")), at);

    assertThat(index.idsOf("dev-1")).isEmpty();
  }
}
