package dev.holdfast.provisioning.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestRegistries;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCacheTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atStart();
  MapDbRegistry registry;
  ApiKeyService keys;
  ApiKeyService.Created created;
  String plaintext;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistries.create(dir, TestRandom.seeded(31));
    registry.write(tx -> {
      tx.devices().put(Device.enrolled("dev-1", "default", clock.instant()));
      return null;
    });
    keys = ApiKeyService.open(registry, clock, TestRandom.seeded(32));
    created = keys.create("dev-1", Set.of(Scopes.MESSAGES_SEND), Duration.ofDays(90), "test").ok().orElseThrow();
    plaintext = created.key().reveal();
    assertThat(keys.verify(plaintext).valid()).isTrue(); // now cached
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void aCachedKeyIsRefusedAsSoonAsItsRevocationIsCommitted() throws Exception {
    keys.revoke(created.key().id(), Optional.empty(), "test").ok().orElseThrow();

    assertThat(keys.verify(plaintext).reason()).isEqualTo(Verification.Reason.REVOKED);
  }

  @Test
  void aCachedKeyIsRefusedAsSoonAsItsDeviceIsRevokedInAnotherTransaction() throws Exception {
    registry.write(tx -> {
      tx.devices().put(tx.devices().find("dev-1").orElseThrow().withState(Device.State.REVOKED));
      return null;
    });

    assertThat(keys.verify(plaintext).reason()).isEqualTo(Verification.Reason.REVOKED);
  }

  @Test
  void aCachedKeyIsRefusedOnceTheClockPassesItsExpiryOrItsGraceWindow() throws Exception {
    clock.advance(Duration.ofDays(90).minusSeconds(1));
    assertThat(keys.verify(plaintext).valid()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(keys.verify(plaintext).reason()).isEqualTo(Verification.Reason.EXPIRED);

    clock.set(MutableClock.START);
    keys.revoke(created.key().id(), Optional.of(Duration.ofHours(1)), "test").ok().orElseThrow();
    assertThat(keys.verify(plaintext).valid()).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(keys.verify(plaintext).reason()).isEqualTo(Verification.Reason.EXPIRED);
  }

  @Test
  void aKeyChangedInAnotherTransactionIsReadAgain() throws Exception {
    registry.write(tx -> {
      ApiKeyRecord k = tx.apiKeys().find(created.key().id()).orElseThrow();
      tx.apiKeys().put(new ApiKeyRecord(k.id(), k.deviceId(), k.hmac(), Set.of(Scopes.EVENTS_PUBLISH),
          k.createdAt(), k.expiresAt(), k.state(), k.graceUntil(), k.lastUsedAt()));
      return null;
    });

    assertThat(keys.verify(plaintext).key().orElseThrow().scopes()).containsExactly(Scopes.EVENTS_PUBLISH);
  }

  @Test
  void aWrongSecretForACachedIdIsStillRefused() throws Exception {
    String other = keys.create("dev-1", Set.of(Scopes.MESSAGES_SEND), Duration.ofDays(1), "test").ok().orElseThrow()
        .key().reveal();
    String body = plaintext.substring(3, 33);
    String sameIdOtherSecret = ApiKey.FORMAT.withChecksum(body.substring(0, 8) + new StringBuilder(body.substring(8))
        .reverse());

    assertThat(keys.verify(other).valid()).isTrue();
    assertThat(ApiKey.FORMAT.idOf(sameIdOtherSecret)).isEqualTo(created.key().id());
    assertThat(keys.verify(sameIdOtherSecret).reason()).isEqualTo(Verification.Reason.UNKNOWN);
  }

  @Test
  void aCachedKeyIsCheckedWhileAnotherTransactionHoldsTheRegistry() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        registry.write(tx -> {
          tx.idempotency().put(new IdempotencyRecord(created.key().id(), "k", new byte[32],
              IdempotencyRecord.Phase.SENDING, "owner", clock.instant(), 0, ""));
          inside.countDown();
          return awaitUninterruptibly(release);
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    try {
      Verification v = CompletableFuture.supplyAsync(() -> {
        try {
          return keys.verify(plaintext);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).get(5, TimeUnit.SECONDS);
      assertThat(v.valid()).isTrue();
    } finally {
      release.countDown();
    }
    writer.get(10, TimeUnit.SECONDS);
    assertThat(registry.generation(Registry.Table.IDEMPOTENCY)).isEqualTo(1);
  }

  private static boolean awaitUninterruptibly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void theCacheHoldsTheKeysHmacButNeverItsPlaintext() throws Exception {
    byte[] plain = plaintext.getBytes(StandardCharsets.US_ASCII);
    String secretPart = plaintext.substring(11);

    assertThat(keys.cache.held()).hasSize(1);
    for (KeyCache.Found f : keys.cache.held()) {
      assertThat(f.toString()).doesNotContain(secretPart);
      for (RecordComponent c : ApiKeyRecord.class.getRecordComponents()) {
        Object value = c.getAccessor().invoke(f.key());
        if (value instanceof byte[] b) {
          assertThat(new String(b, StandardCharsets.ISO_8859_1)).doesNotContain(secretPart);
          assertThat(Arrays.equals(b, plain)).isFalse();
        } else {
          assertThat(String.valueOf(value)).doesNotContain(secretPart);
        }
      }
    }
  }

  @Test
  void anUnknownIdIsNotKept() throws Exception {
    String unknown = ApiKey.FORMAT.generate(TestRandom.seeded(34));

    assertThat(keys.verify(unknown).reason()).isEqualTo(Verification.Reason.UNKNOWN);
    assertThat(keys.cache.held()).extracting(f -> f.key().id()).containsExactly(created.key().id());
  }
}
