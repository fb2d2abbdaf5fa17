package dev.holdfast.provisioning.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.Result;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.support.ChecksummedToken;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestRegistries;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyServiceTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atStart();
  MapDbRegistry registry;
  ApiKeyService keys;
  final List<int[]> comparisons = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistries.create(dir, TestRandom.seeded(21));
    registry.write(tx -> {
      tx.devices().put(Device.enrolled("dev-1", "default", clock.instant()));
      return null;
    });
    keys = ApiKeyService.open(registry, clock, TestRandom.seeded(22), (a, b) -> {
      comparisons.add(new int[] {a.length, b.length});
      return MessageDigest.isEqual(a, b);
    });
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  ApiKeyService.Created create() throws Exception {
    return keys.create("dev-1", Set.of(Scopes.MESSAGES_SEND), Duration.ofDays(90), "test").ok().orElseThrow();
  }

  @Test
  void acceptsTheKeyItCreatedAndStoresOnlyItsHmac() throws Exception {
    ApiKeyService.Created created = create();
    String plaintext = created.key().reveal();

    Verification v = keys.verify(plaintext);

    assertThat(plaintext).matches("hf_[0-9A-Za-z]{36}");
    assertThat(v.reason()).isEqualTo(Verification.Reason.VALID);
    assertThat(v.key().orElseThrow().scopes()).containsExactly(Scopes.MESSAGES_SEND);
    ApiKeyRecord stored = registry.read(tx -> tx.apiKeys().find(created.key().id())).orElseThrow();
    assertThat(stored.hmac()).hasSize(32);
    assertThat(new String(stored.hmac(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(plaintext);
    assertThat(created.key().toString()).doesNotContain(plaintext.substring(11));
    assertThat(created.record().toString()).doesNotContain(plaintext.substring(11));
  }

  @Test
  void rejectsMalformedAndMistypedKeysWithoutALookup() throws Exception {
    String key = create().key().reveal();
    String typo = key.substring(0, 20) + (key.charAt(20) == 'x' ? 'y' : 'x') + key.substring(21);
    comparisons.clear();

    assertThat(keys.verify("hf_short").reason()).isEqualTo(Verification.Reason.MALFORMED);
    assertThat(keys.verify("Bearer " + key).reason()).isEqualTo(Verification.Reason.MALFORMED);
    assertThat(keys.verify(typo).reason()).isEqualTo(Verification.Reason.BAD_CHECKSUM);
    assertThat(comparisons).isEmpty();
  }

  @Test
  void rejectsKeysDifferingInTheFirstOrTheLastCharacterThroughTheSameFullLengthComparison() throws Exception {
    String key = create().key().reveal();
    String body = key.substring(3, 33);
    String firstDiffers = ApiKey.FORMAT.withChecksum(flip(body.charAt(0)) + body.substring(1));
    String lastDiffers = ApiKey.FORMAT.withChecksum(body.substring(0, 29) + flip(body.charAt(29)));
    comparisons.clear();

    Verification first = keys.verify(firstDiffers);
    Verification last = keys.verify(lastDiffers);

    assertThat(first.reason()).isEqualTo(Verification.Reason.UNKNOWN);
    assertThat(last.reason()).isEqualTo(Verification.Reason.UNKNOWN);
    assertThat(comparisons).hasSize(2).allSatisfy(lengths -> assertThat(lengths).containsExactly(32, 32));
  }

  private static char flip(char c) {
    return c == 'A' ? 'B' : 'A';
  }

  @Test
  void rejectsAnExpiredKey() throws Exception {
    String key = create().key().reveal();
    clock.advance(Duration.ofDays(90));

    assertThat(keys.verify(key).reason()).isEqualTo(Verification.Reason.EXPIRED);
  }

  @Test
  void rejectsARevokedKeyAndKeepsAKeyInGraceWorkingUntilItsWindowEnds() throws Exception {
    ApiKeyService.Created revoked = create();
    ApiKeyService.Created retiring = create();

    keys.revoke(revoked.key().id(), Optional.empty(), "test").ok().orElseThrow();
    keys.revoke(retiring.key().id(), Optional.of(Duration.ofHours(24)), "test").ok().orElseThrow();

    assertThat(keys.verify(revoked.key().reveal()).reason()).isEqualTo(Verification.Reason.REVOKED);
    assertThat(keys.verify(retiring.key().reveal()).reason()).isEqualTo(Verification.Reason.VALID);
    clock.advance(Duration.ofHours(24));
    assertThat(keys.verify(retiring.key().reveal()).reason()).isEqualTo(Verification.Reason.EXPIRED);
    assertThat(ApiKeyService.displayState(registry.read(tx -> tx.apiKeys().find(retiring.key().id())).orElseThrow(),
        clock.instant())).isEqualTo("EXPIRED");
  }

  @Test
  void refusesUnknownScopesUnknownDevicesAndUnknownKeysWritingNothing() throws Exception {
    Result<ApiKeyService.Created, KeyRefusal> admin = keys.create("dev-1", Set.of("admin"), Duration.ofDays(1), "test");
    assertThat(admin.refusal()).contains(KeyRefusal.SCOPE);
    assertThat(((Result.Refused<?, ?>) admin).message()).contains("admin");
    assertThat(keys.create("dev-nope", Set.of(Scopes.MESSAGES_SEND), Duration.ofDays(1), "test").refusal())
        .contains(KeyRefusal.UNKNOWN_DEVICE);
    assertThat(keys.create("dev-1", Set.of(Scopes.MESSAGES_SEND), Duration.ZERO, "test").refusal())
        .contains(KeyRefusal.LIFETIME);
    assertThat(keys.revoke("Zzzzzzzz", Optional.empty(), "test").refusal()).contains(KeyRefusal.UNKNOWN_KEY);
    assertThat(keys.list(Optional.empty())).isEmpty();
  }

  @Test
  void recordsUseOfAVerifiedKeyOnlyInMemoryUntilTheUsageIsFlushed() throws Exception {
    ApiKeyService.Created created = create();
    keys.touch(keys.verify(created.key().reveal()).key().orElseThrow());
    clock.advance(Duration.ofSeconds(30));
    keys.touch(keys.verify(created.key().reveal()).key().orElseThrow());

    ApiKeyRecord before = registry.read(tx -> tx.apiKeys().find(created.key().id())).orElseThrow();
    keys.usage().flush();
    ApiKeyRecord after = registry.read(tx -> tx.apiKeys().find(created.key().id())).orElseThrow();

    assertThat(before.lastUsedAt()).isEmpty();
    assertThat(before.requests()).isZero();
    assertThat(after.lastUsedAt()).contains(MutableClock.START.plusSeconds(30));
    assertThat(after.requests()).isEqualTo(2);
  }

  @Test
  void listsKeysOfOneDevice() throws Exception {
    create();
    create();
    registry.write(tx -> {
      tx.devices().put(Device.enrolled("dev-2", "default", clock.instant()));
      return null;
    });
    keys.create("dev-2", Set.of(Scopes.EVENTS_PUBLISH), Duration.ofDays(1), "test").ok().orElseThrow();

    assertThat(keys.list(Optional.of("dev-1"))).hasSize(2);
    assertThat(keys.list(Optional.empty())).hasSize(3);
    assertThat(ChecksummedToken.CHECKSUM_LENGTH).isEqualTo(6);
  }
}
