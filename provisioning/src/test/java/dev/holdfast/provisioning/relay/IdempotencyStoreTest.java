package dev.holdfast.provisioning.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestRegistries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotencyStoreTest {
  static final Duration WINDOW = Duration.ofHours(24);

  @TempDir Path dir;

  @Test
  void recordsAnEarlierVersionKeptInTheRegistryMoveIntoTheLogAndAreStillReplayed() throws Exception {
    MutableClock clock = MutableClock.atStart();
    try (MapDbRegistry registry = TestRegistries.create(dir, TestRandom.seeded(91))) {
      registry.write(tx -> {
        tx.idempotency().put(IdempotencyLogTest.sending("answered", MutableClock.START).completed(201, "{\"id\":\"m1\"}"));
        tx.idempotency().put(IdempotencyLogTest.sending("expired", MutableClock.START.minus(WINDOW)));
        return null;
      });
      try (IdempotencyStore store = open(registry, clock, "relay-new")) {
        store.start(r -> new Thread(r, "test-idempotency"));

        assertThat(store.begin("key-1", "answered", GroupCommitTest.BODY))
            .isEqualTo(new IdempotencyStore.Replay(201, "{\"id\":\"m1\"}"));
        assertThat(store.begin("key-1", "expired", GroupCommitTest.BODY)).isEqualTo(new IdempotencyStore.Proceed(false));
      }
      List<IdempotencyRecord> left = registry.read(tx -> tx.idempotency().all());
      assertThat(left).as("moved out of the registry").isEmpty();
      try (IdempotencyStore again = open(registry, clock, "relay-newer")) {
        again.start(r -> new Thread(r, "test-idempotency-2"));
        assertThat(again.begin("key-1", "answered", GroupCommitTest.BODY))
            .isEqualTo(new IdempotencyStore.Replay(201, "{\"id\":\"m1\"}"));
      }
    }
  }

  @Test
  void theLogsDataKeyIsSealedInTheRegistrySoTheLogOpensAfterARestartWithTheSameRegistry() throws Exception {
    MutableClock clock = MutableClock.atStart();
    try (MapDbRegistry registry = TestRegistries.create(dir, TestRandom.seeded(92))) {
      try (IdempotencyStore store = open(registry, clock, "relay-1")) {
        store.start(r -> new Thread(r, "test-idempotency"));
        store.begin("key-1", "k", GroupCommitTest.BODY);
        store.complete("key-1", "k", 201, "{\"id\":\"m2\"}");
      }
      Optional<Secret> dataKey = registry.read(tx -> tx.secrets().find(IdempotencyStore.DATA_KEY));
      assertThat(dataKey).isPresent();
    }
    try (MapDbRegistry registry = TestRegistries.open(dir, TestRandom.seeded(93));
        IdempotencyStore store = open(registry, clock, "relay-2")) {
      store.start(r -> new Thread(r, "test-idempotency"));
      assertThat(store.begin("key-1", "k", GroupCommitTest.BODY)).isEqualTo(new IdempotencyStore.Replay(201, "{\"id\":\"m2\"}"));
      clock.advance(WINDOW);
      assertThat(store.purgeExpired()).isEqualTo(1);
      assertThat(store.begin("key-1", "k", GroupCommitTest.BODY)).isEqualTo(new IdempotencyStore.Proceed(false));
    }
    assertThat(Files.list(dir.resolve(IdempotencyStore.DIR)).toList()).hasSize(1);
  }

  private IdempotencyStore open(MapDbRegistry registry, MutableClock clock, String owner) throws Exception {
    return IdempotencyStore.open(registry, dir.resolve(IdempotencyStore.DIR), clock, WINDOW, owner,
        new java.security.SecureRandom());
  }
}
