package dev.holdfast.provisioning.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.testing.CapturingScheduler;
import dev.holdfast.provisioning.testing.FaultyRegistry;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestRegistries;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyUsageTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atStart();
  MapDbRegistry real;
  FaultyRegistry registry;
  ApiKeyService keys;

  @BeforeEach
  void setUp() throws Exception {
    real = TestRegistries.create(dir, TestRandom.seeded(31));
    registry = new FaultyRegistry(real);
    real.write(tx -> {
      tx.devices().put(Device.enrolled("dev-1", "default", clock.instant()));
      return null;
    });
    keys = ApiKeyService.open(registry, clock, TestRandom.seeded(32));
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  ApiKeyRecord create(Duration lifetime) throws Exception {
    return keys.create("dev-1", Set.of(Scopes.MESSAGES_SEND), lifetime, "test").ok().orElseThrow().record();
  }

  ApiKeyRecord stored(String id) throws Exception {
    return registry.read(tx -> tx.apiKeys().find(id)).orElseThrow();
  }

  @Test
  void countsUseInMemoryAndWritesItInOneTransactionAtTheFlushNotOnePerRequest() throws Exception {
    ApiKeyRecord a = create(Duration.ofDays(90));
    ApiKeyRecord b = create(Duration.ofDays(90));
    int before = registry.writes.get();
    for (int i = 0; i < 50; i++) {
      keys.touch(a);
    }
    clock.advance(Duration.ofSeconds(7));
    keys.touch(b);
    keys.touch(a);

    assertThat(registry.writes.get()).isEqualTo(before);
    assertThat(stored(a.id()).requests()).isZero();
    assertThat(stored(a.id()).lastUsedAt()).isEmpty();

    assertThat(keys.usage().flush()).isEqualTo(2);

    assertThat(registry.writes.get()).isEqualTo(before + 1);
    assertThat(stored(a.id()).requests()).isEqualTo(51);
    assertThat(stored(a.id()).lastUsedAt()).contains(MutableClock.START.plusSeconds(7));
    assertThat(stored(b.id()).requests()).isEqualTo(1);
    assertThat(keys.usage().flush()).isZero();
    assertThat(registry.writes.get()).as("nothing new, nothing written").isEqualTo(before + 1);
  }

  @Test
  void addsEachFlushToTheCountAlreadyStoredAndKeepsTheKeysState() throws Exception {
    ApiKeyRecord a = create(Duration.ofDays(90));
    keys.touch(a);
    keys.usage().flush();
    keys.revoke(a.id(), Optional.of(Duration.ofHours(1)), "test");
    keys.touch(a);
    keys.touch(a);
    keys.usage().flush();

    assertThat(stored(a.id()).requests()).isEqualTo(3);
    assertThat(stored(a.id()).state()).isEqualTo(ApiKeyRecord.State.GRACE);
  }

  @Test
  void aFailedFlushKeepsTheCountsForTheNextOne() throws Exception {
    ApiKeyRecord a = create(Duration.ofDays(90));
    keys.touch(a);
    registry.failWrites.set(true);

    assertThatThrownBy(() -> keys.usage().flush()).isInstanceOf(RegistryException.class);
    keys.touch(a);
    registry.failWrites.set(false);
    keys.usage().flush();

    assertThat(stored(a.id()).requests()).isEqualTo(2);
  }

  @Test
  void flushesEverySixtySecondsOnTheSchedulerItIsGiven() throws Exception {
    ApiKeyRecord a = create(Duration.ofDays(90));
    CapturingScheduler scheduler = new CapturingScheduler();
    try {
      keys.usage().schedule(scheduler, KeyUsage.FLUSH_INTERVAL);
      keys.touch(a);

      assertThat(scheduler.periodic).singleElement().extracting(CapturingScheduler.Periodic::every)
          .isEqualTo(Duration.ofSeconds(60));
      assertThat(stored(a.id()).requests()).isZero();
      scheduler.periodic.get(0).task().run();
      assertThat(stored(a.id()).requests()).isEqualTo(1);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void unusedForSelectsExactlyTheActiveKeysIdleForTheWholeWindow() throws Exception {
    Instant t0 = MutableClock.START;
    ApiKeyRecord neverUsed = create(Duration.ofDays(365));
    ApiKeyRecord usedRecently = create(Duration.ofDays(365));
    ApiKeyRecord usedExactlyAWindowAgo = create(Duration.ofDays(365));
    ApiKeyRecord revoked = create(Duration.ofDays(365));
    ApiKeyRecord expired = create(Duration.ofDays(31));
    ApiKeyRecord inGrace = create(Duration.ofDays(365));
    keys.revoke(revoked.id(), Optional.empty(), "test");
    keys.revoke(inGrace.id(), Optional.of(Duration.ofDays(365)), "test");
    clock.set(t0.plus(Duration.ofDays(5)));
    keys.touch(usedExactlyAWindowAgo);
    clock.set(t0.plus(Duration.ofDays(10)));
    ApiKeyRecord youngNeverUsed = create(Duration.ofDays(365));
    clock.set(t0.plus(Duration.ofDays(20)));
    keys.touch(usedRecently);
    keys.usage().flush();
    clock.set(t0.plus(Duration.ofDays(35)));

    List<String> unused = keys.unusedFor(Duration.ofDays(30), Optional.empty()).stream()
        .map(ApiKeyRecord::id).toList();

    assertThat(unused).containsExactlyInAnyOrder(neverUsed.id(), usedExactlyAWindowAgo.id());
    assertThat(List.of(usedRecently, revoked, expired, inGrace, youngNeverUsed)).extracting(ApiKeyRecord::id)
        .doesNotContainAnyElementsOf(unused);
    assertThat(keys.unusedFor(Duration.ofDays(36), Optional.empty())).isEmpty();
    assertThat(keys.unusedFor(Duration.ofDays(15), Optional.of("dev-2"))).isEmpty();
    assertThat(keys.unusedFor(Duration.ofDays(15), Optional.of("dev-1"))).extracting(ApiKeyRecord::id)
        .containsExactlyInAnyOrder(neverUsed.id(), usedExactlyAWindowAgo.id(), usedRecently.id(), youngNeverUsed.id());
  }
}
