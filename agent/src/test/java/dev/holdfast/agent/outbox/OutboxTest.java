package dev.holdfast.agent.outbox;

import static dev.holdfast.agent.outbox.OutboxFixture.POLICY;
import static dev.holdfast.agent.outbox.OutboxFixture.sms;
import static dev.holdfast.agent.outbox.OutboxFixture.webhook;
import static dev.holdfast.agent.outbox.OutboxFixture.withKey;
import static dev.holdfast.agent.outbox.OutboxFixture.withTtl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.agent.config.OutboxSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
  @TempDir Path dir;
  OutboxFixture f;

  @BeforeEach
  void open() throws Exception {
    f = new OutboxFixture(dir);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void anAcknowledgedRecordIsInTheVaultFileWhenEnqueueReturns() throws Exception {
    RecordId id = f.outbox.enqueue(sms("+15551234567", "hello"));
    f.reopen();
    assertThat(f.outbox.find(id)).get().satisfies(r -> {
      assertThat(r.destination()).isEqualTo("+15551234567");
      assertThat(new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(r.attempts()).isZero();
    });
  }

  @Test
  void theDispatcherIsToldOfANewLaneHeadAndOfOutcomesButNotOfRecordsQueuedBehindAHead() throws Exception {
    java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
    f.outbox.onChange(told::incrementAndGet);
    RecordId head = f.outbox.enqueue(sms("+15551234567", "first"));
    assertThat(told).as("a new lane's head").hasValue(1);
    f.outbox.enqueue(sms("+15551234567", "second"));
    f.outbox.enqueue(sms("+15551234567", "third"));
    assertThat(told).as("records queued behind the head").hasValue(1);
    f.outbox.enqueue(sms("+15557654321", "other destination"));
    assertThat(told).as("another lane's head").hasValue(2);
    f.outbox.recordOutcome(f.outbox.find(head).orElseThrow(), new DeliveryOutcome.Delivered("HTTP 200"), POLICY);
    // an outcome is committed on the committer thread, which tells the listener after the caller's wait ends
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(told).as("an outcome moves the head").hasValue(3));
    f.outbox.drop(f.outbox.list(false).get(0).id());
    assertThat(told).as("a drop").hasValue(4);
  }

  @Test
  void anOutcomeLeftToGatherIsDurableOnceTheNextEnqueueReturns() throws Exception {
    RecordId first = f.outbox.enqueue(sms("+15551234567", "first"));
    OutboxRecord head = f.outbox.find(first).orElseThrow();
    java.util.concurrent.CompletableFuture<Void> outcome =
        f.outbox.recordOutcomeAsync(head, new DeliveryOutcome.Delivered("HTTP 200"), POLICY);
    f.outbox.enqueue(sms("+15557654321", "second"));
    assertThat(outcome).as("committed with the enqueue, or before it").isCompleted();
    assertThat(f.outbox.find(first)).isEmpty();
    f.reopen();
    assertThat(f.outbox.find(first)).as("the delivery is durable").isEmpty();
  }

  @Test
  void idsAreTimeOrderedAndKeepIncreasingAfterARestartEvenWhenTheClockStepsBack() throws Exception {
    RecordId a = f.outbox.enqueue(sms("+15551234567", "a"));
    RecordId b = f.outbox.enqueue(sms("+15551234567", "b"));
    f.clock.advance(Duration.ofHours(-2));
    f.reopen();
    RecordId c = f.outbox.enqueue(sms("+15551234567", "c"));
    assertThat(List.of(a, b, c)).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void manyProducersAtOnceAllGetDurableDistinctRecords() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<RecordId>> ids = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String body = "message " + i;
      ids.add(pool.submit(() -> f.outbox.enqueue(webhook("http://127.0.0.1:9/hook", body))));
    }
    List<RecordId> got = new ArrayList<>();
    for (Future<RecordId> id : ids) {
      got.add(id.get());
    }
    pool.shutdown();
    f.reopen();
    assertThat(got).doesNotHaveDuplicates();
    assertThat(f.outbox.list(false)).extracting(RecordSummary::id).containsExactlyInAnyOrderElementsOf(got);
  }

  @Test
  void theSameIdempotencyKeyWithTheSameMessageReturnsTheQueuedRecordInsteadOfASecondOne() throws Exception {
    RecordId first = f.outbox.enqueue(withKey(sms("+15551234567", "once"), "k-1"));
    RecordId again = f.outbox.enqueue(withKey(sms("+15551234567", "once"), "k-1"));
    assertThat(again).isEqualTo(first);
    assertThat(f.outbox.status().queued()).isEqualTo(1);
  }

  @Test
  void theSameIdempotencyKeyWithADifferentMessageIsAConflict() throws Exception {
    f.outbox.enqueue(withKey(sms("+15551234567", "once"), "k-1"));
    assertThatThrownBy(() -> f.outbox.enqueue(withKey(sms("+15551234567", "twice"), "k-1")))
        .isInstanceOfSatisfying(OutboxException.class,
            e -> assertThat(e.reason()).isEqualTo(OutboxException.Reason.CONFLICT))
        .hasMessageContaining("use a new key");
  }

  @Test
  void aKeyMayBeUsedAgainOnceItsRecordWasDelivered() throws Exception {
    RecordId first = f.outbox.enqueue(withKey(sms("+15551234567", "once"), "k-1"));
    f.outbox.recordOutcome(f.outbox.find(first).orElseThrow(), new DeliveryOutcome.Delivered("200"), POLICY);
    RecordId second = f.outbox.enqueue(withKey(sms("+15551234567", "once"), "k-1"));
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void aFullOutboxRefusesNewRecordsWithAMessageNamingTheLimits() throws Exception {
    f.close();
    f = new OutboxFixture(dir.resolve("small"), limits(3, OutboxSettings.WhenFull.REFUSE));
    for (int i = 0; i < 3; i++) {
      f.outbox.enqueue(sms("+15551234567", "m" + i));
    }
    assertThatThrownBy(() -> f.outbox.enqueue(sms("+15551234567", "one too many")))
        .isInstanceOfSatisfying(OutboxException.class,
            e -> assertThat(e.reason()).isEqualTo(OutboxException.Reason.FULL))
        .hasMessageContaining("outbox.max-records=3");
    assertThat(f.outbox.status().queued()).isEqualTo(3);
  }

  @Test
  void dropOldestMakesRoomByDroppingTheOldestRecordAndCountsIt() throws Exception {
    f.close();
    f = new OutboxFixture(dir.resolve("small"), limits(2, OutboxSettings.WhenFull.DROP_OLDEST));
    RecordId oldest = f.outbox.enqueue(sms("+15551234567", "old"));
    RecordId kept = f.outbox.enqueue(sms("+15551234567", "kept"));
    RecordId newest = f.outbox.enqueue(sms("+15551234567", "new"));
    assertThat(f.outbox.list(false)).extracting(RecordSummary::id).containsExactly(kept, newest);
    assertThat(f.outbox.find(oldest)).isEmpty();
    assertThat(f.outbox.status().channels().get(Channel.SMS).droppedWhenFull()).isEqualTo(1);
  }

  @Test
  void theByteLimitCountsToo() throws Exception {
    f.close();
    OutboxSettings tight = new OutboxSettings(1000, 400, 300, OutboxSettings.WhenFull.REFUSE, Duration.ofHours(1), 4,
        Duration.ofSeconds(1), Duration.ofMinutes(1));
    f = new OutboxFixture(dir.resolve("small"), tight);
    f.outbox.enqueue(sms("+15551234567", "x".repeat(200)));
    assertThatThrownBy(() -> f.outbox.enqueue(sms("+15551234567", "y".repeat(200))))
        .hasMessageContaining("outbox.max-bytes=400");
  }

  @Test
  void aDeliveredRecordLeavesTheQueueAndTheChannelRecordsTheDelivery() throws Exception {
    RecordId id = f.outbox.enqueue(sms("+15551234567", "hi"));
    f.outbox.recordOutcome(f.outbox.find(id).orElseThrow(), new DeliveryOutcome.Delivered("201"), POLICY);
    f.reopen();
    assertThat(f.outbox.find(id)).isEmpty();
    assertThat(f.outbox.status().channels().get(Channel.SMS).delivered()).isEqualTo(1);
    assertThat(f.outbox.status().channels().get(Channel.SMS).lastDelivery()).contains(f.clock.instant());
  }

  @Test
  void aRetryKeepsTheRecordAndWaitsAtLeastTheRetryAfter() throws Exception {
    RecordId id = f.outbox.enqueue(sms("+15551234567", "hi"));
    f.outbox.recordOutcome(f.outbox.find(id).orElseThrow(),
        new DeliveryOutcome.Retry("HTTP 503", Optional.of(Duration.ofSeconds(30))), POLICY);
    OutboxRecord r = f.outbox.find(id).orElseThrow();
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.lastError()).contains("HTTP 503");
    assertThat(r.nextAttempt()).isAfterOrEqualTo(f.clock.instant().plusSeconds(30));
    assertThat(f.outbox.due(Set.of(), Set.of(), 10)).isEmpty();
    f.clock.advance(Duration.ofSeconds(30));
    assertThat(f.outbox.due(Set.of(), Set.of(), 10)).extracting(OutboxRecord::id).containsExactly(id);
  }

  @Test
  void aPermanentFailureDeadLettersTheRecordWithItsReason() throws Exception {
    RecordId id = f.outbox.enqueue(webhook("https://example.test/hook", "{}"));
    f.outbox.recordOutcome(f.outbox.find(id).orElseThrow(), new DeliveryOutcome.Permanent("HTTP 404"), POLICY);
    f.reopen();
    assertThat(f.outbox.list(false)).isEmpty();
    assertThat(f.outbox.list(true)).singleElement().satisfies(r -> {
      assertThat(r.dead()).isTrue();
      assertThat(r.lastError()).contains("HTTP 404");
    });
  }

  @Test
  void rejectedCredentialsHoldTheWholeChannelButNotTheOthers() throws Exception {
    RecordId sms = f.outbox.enqueue(sms("+15551234567", "a"));
    f.outbox.enqueue(sms("+15557654321", "b"));
    RecordId hook = f.outbox.enqueue(webhook("https://example.test/hook", "{}"));
    f.outbox.recordOutcome(f.outbox.find(sms).orElseThrow(), new DeliveryOutcome.CredentialsRejected("HTTP 401"),
        POLICY);
    assertThat(f.outbox.due(Set.of(), Set.of(), 10)).extracting(OutboxRecord::id).containsExactly(hook);
    assertThat(f.outbox.status().channels().get(Channel.SMS).heldUntil()).isPresent();
    f.clock.advance(POLICY.cap());
    assertThat(f.outbox.due(Set.of(), Set.of(), 10)).hasSize(3);
  }

  @Test
  void rejectedCredentialsRaiseAnEventForRotationOncePerRejection() throws Exception {
    List<Channel> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.outbox.onCredentialsRejected(events::add);
    RecordId id = f.outbox.enqueue(sms("+15551234567", "a"));
    f.outbox.recordOutcome(f.outbox.find(id).orElseThrow(), new DeliveryOutcome.Retry("HTTP 503", Optional.empty()),
        POLICY);
    assertThat(events).isEmpty();
    f.outbox.recordOutcome(f.outbox.find(id).orElseThrow(), new DeliveryOutcome.CredentialsRejected("HTTP 401"),
        POLICY);
    assertThat(events).containsExactly(Channel.SMS);
  }

  @Test
  void recordsPastTheirTtlAreDeadLetteredWithTheLastError() throws Exception {
    RecordId id = f.outbox.enqueue(withTtl(sms("+15551234567", "soon stale"), Duration.ofMinutes(5)));
    f.outbox.recordOutcome(f.outbox.find(id).orElseThrow(), new DeliveryOutcome.Retry("connection refused",
        Optional.empty()), POLICY);
    assertThat(f.outbox.expire()).isZero();
    f.clock.advance(Duration.ofMinutes(5));
    assertThat(f.outbox.expire()).isEqualTo(1);
    assertThat(f.outbox.list(true)).singleElement()
        .satisfies(r -> assertThat(r.lastError().orElseThrow()).contains("expired").contains("connection refused"));
  }

  @Test
  void onlyTheHeadOfEachDestinationIsDueSoOneDestinationNeverBlocksAnother() throws Exception {
    RecordId a1 = f.outbox.enqueue(webhook("https://a.test/", "1"));
    f.outbox.enqueue(webhook("https://a.test/", "2"));
    RecordId b1 = f.outbox.enqueue(webhook("https://b.test/", "1"));
    assertThat(f.outbox.due(Set.of(), Set.of(), 10)).extracting(OutboxRecord::id).containsExactly(a1, b1);
    OutboxRecord head = f.outbox.find(a1).orElseThrow();
    assertThat(f.outbox.due(Set.of(head.lane()), Set.of(), 10)).extracting(OutboxRecord::id).containsExactly(b1);
    f.outbox.recordOutcome(head, new DeliveryOutcome.Retry("HTTP 503", Optional.of(Duration.ofHours(1))), POLICY);
    assertThat(f.outbox.due(Set.of(), Set.of(), 10)).extracting(OutboxRecord::id)
        .as("a.test's second record waits behind its head: FIFO per destination").containsExactly(b1);
  }

  @Test
  void aDeliveredRecordWhoseRemovalIsStillCommittingIsPassedOverForTheNextInItsLane() throws Exception {
    RecordId a1 = f.outbox.enqueue(webhook("https://a.test/", "1"));
    RecordId a2 = f.outbox.enqueue(webhook("https://a.test/", "2"));
    RecordId b1 = f.outbox.enqueue(webhook("https://b.test/", "1"));
    assertThat(f.outbox.due(Set.of(), Set.of(a1), 10)).extracting(OutboxRecord::id).containsExactly(a2, b1);
    assertThat(f.outbox.due(Set.of(), Set.of(a1, a2), 10)).extracting(OutboxRecord::id).containsExactly(b1);
    assertThat(f.outbox.nextDue(Set.of(), Set.of(a1, a2, b1))).isEmpty();
  }

  @Test
  void anAsynchronousOutcomeIsVisibleWhenItsFutureCompletes() throws Exception {
    RecordId id = f.outbox.enqueue(sms("+15551234567", "hi"));
    f.outbox.recordOutcomeAsync(f.outbox.find(id).orElseThrow(), new DeliveryOutcome.Delivered("200"), POLICY)
        .get();
    assertThat(f.outbox.find(id)).isEmpty();
  }

  @Test
  void anOutcomeAfterCloseFailsItsFutureInsteadOfHanging() throws Exception {
    RecordId id = f.outbox.enqueue(sms("+15551234567", "hi"));
    OutboxRecord r = f.outbox.find(id).orElseThrow();
    f.outbox.close();
    assertThat(f.outbox.recordOutcomeAsync(r, new DeliveryOutcome.Delivered("200"), POLICY))
        .failsWithin(java.time.Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(OutboxException.class);
  }

  @Test
  void aDeadLetterCanBeRetriedAndARecordDropped() throws Exception {
    RecordId id = f.outbox.enqueue(webhook("https://example.test/hook", "{}"));
    f.outbox.recordOutcome(f.outbox.find(id).orElseThrow(), new DeliveryOutcome.Permanent("HTTP 400"), POLICY);
    f.outbox.retry(id);
    assertThat(f.outbox.find(id)).get().satisfies(r -> assertThat(r.dead()).isFalse());
    assertThat(f.outbox.due(Set.of(), Set.of(), 10)).extracting(OutboxRecord::id).containsExactly(id);
    f.outbox.drop(id);
    assertThat(f.outbox.find(id)).isEmpty();
    assertThatThrownBy(() -> f.outbox.drop(id))
        .isInstanceOfSatisfying(OutboxException.class,
            e -> assertThat(e.reason()).isEqualTo(OutboxException.Reason.NOT_FOUND))
        .hasMessageContaining("outbox list");
  }

  @Test
  void retryingAllDeadLettersRequeuesEachOfThem() throws Exception {
    for (int i = 0; i < 3; i++) {
      RecordId id = f.outbox.enqueue(webhook("https://example.test/" + i, "{}"));
      f.outbox.recordOutcome(f.outbox.find(id).orElseThrow(), new DeliveryOutcome.Permanent("HTTP 410"), POLICY);
    }
    assertThat(f.outbox.retryAllDead()).isEqualTo(3);
    assertThat(f.outbox.status().dead()).isZero();
    assertThat(f.outbox.status().queued()).isEqualTo(3);
  }

  @Test
  void anOutcomeForARecordDroppedWhileInFlightChangesNothing() throws Exception {
    RecordId id = f.outbox.enqueue(sms("+15551234567", "hi"));
    OutboxRecord inFlight = f.outbox.find(id).orElseThrow();
    f.outbox.drop(id);
    f.outbox.recordOutcome(inFlight, new DeliveryOutcome.Retry("HTTP 503", Optional.empty()), POLICY);
    assertThat(f.outbox.find(id)).isEmpty();
  }

  @Test
  void statusReportsDepthBytesAndTheOldestRecordsAge() throws Exception {
    f.outbox.enqueue(sms("+15551234567", "hi"));
    f.clock.advance(Duration.ofMinutes(3));
    f.outbox.enqueue(sms("+15551234567", "there"));
    OutboxStatus s = f.outbox.status();
    assertThat(s.queued()).isEqualTo(2);
    assertThat(s.bytes()).isPositive();
    assertThat(s.oldestAge()).contains(Duration.ofMinutes(3));
  }

  @Test
  void afterAVaultRekeyTheOutboxStillOpensWithEveryRecord() throws Exception {
    RecordId id = f.outbox.enqueue(sms("+15551234567", "before the rekey"));
    f.close();
    byte[] newKey = new byte[32];
    java.util.Arrays.fill(newKey, (byte) 9);
    dev.holdfast.vault.MasterKeySource next =
        dev.holdfast.vault.MasterKeySource.ofKey(dev.holdfast.protocol.crypto.Secret.wrap(newKey), "new key");
    dev.holdfast.vault.Vault.rekey(f.file, OutboxFixture.key(), next, new java.security.SecureRandom());
    f.vault = dev.holdfast.vault.Vault.open(f.file, next, new java.security.SecureRandom());
    f.outbox = Outbox.open(f.vault, f.settings, f.clock, new java.util.SplittableRandom(7));
    assertThat(f.outbox.find(id)).get().satisfies(r -> assertThat(r.payload()).asString().isEqualTo("before the rekey"));
  }

  @Test
  void aClosedOutboxRefusesWithAnAnswerThatSaysTryAgain() {
    f.outbox.close();
    assertThatThrownBy(() -> f.outbox.enqueue(sms("+15551234567", "late")))
        .isInstanceOfSatisfying(OutboxException.class,
            e -> assertThat(e.reason()).isEqualTo(OutboxException.Reason.CLOSED));
  }

  private static OutboxSettings limits(int maxRecords, OutboxSettings.WhenFull whenFull) {
    return new OutboxSettings(maxRecords, 1 << 20, 4096, whenFull, Duration.ofHours(1), 4, Duration.ofSeconds(1),
        Duration.ofMinutes(1));
  }
}
