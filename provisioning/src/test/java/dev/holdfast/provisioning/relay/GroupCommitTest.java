package dev.holdfast.provisioning.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.vault.Disk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's idempotency changes share commits: changes queued while a commit is under way go
 * into the next one, counted by the log's own writes (each one at most one durable append). A log
 * write held open by the test is what makes them queue, so the sharing is certain.
 */
class GroupCommitTest {
  static final IdempotencyRecord.Phase SENDING = IdempotencyRecord.Phase.SENDING;
  static final IdempotencyRecord.Phase SENT = IdempotencyRecord.Phase.SENT;
  /** Fingerprints of two message bodies (any 32 bytes do: the store compares them, nothing more). */
  static final byte[] BODY = "fingerprint of door opened......".getBytes(StandardCharsets.US_ASCII);
  static final byte[] OTHER_BODY = "fingerprint of door closed......".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  IdempotencyLog log;
  FaultyLog counted;
  IdempotencyStore store;
  ExecutorService callers = Executors.newCachedThreadPool();
  ExecutorService holder = Executors.newSingleThreadExecutor();

  @BeforeEach
  void setUp() throws Exception {
    log = open(dir);
    counted = new FaultyLog(log);
    store = new IdempotencyStore(log, counted, MutableClock.atStart(), Duration.ofHours(24), "relay-1");
    store.start(r -> new Thread(r, "test-group-commit"));
  }

  @AfterEach
  void tearDown() {
    store.close();
    callers.shutdownNow();
    holder.shutdownNow();
    log.close();
  }

  /** A real log in {@code dir} under a fixed data key. */
  static IdempotencyLog open(Path dir) throws RegistryException {
    return IdempotencyLogTest.open(Disk.REAL, dir, MutableClock.START, IdempotencyLog.COMPACT_FLOOR);
  }

  @Test
  void beginsQueuedBehindACommitShareTheNextOneAndEachCallerGetsItsOwnDecision() throws Exception {
    CountDownLatch release = holdTheLog();
    Future<IdempotencyStore.Decision> first = taken(() -> store.begin("key-1", "a", BODY));
    List<Future<IdempotencyStore.Decision>> next = new ArrayList<>();
    for (String k : List.of("b", "c", "d")) {
      next.add(callers.submit(() -> store.begin("key-1", k, BODY)));
    }
    next.add(callers.submit(() -> store.begin("key-1", "a", BODY)));
    next.add(callers.submit(() -> store.begin("key-1", "a", OTHER_BODY)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.group.queued() == 5);

    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new IdempotencyStore.Proceed(false));
    for (int i = 0; i < 3; i++) {
      assertThat(next.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(new IdempotencyStore.Proceed(false));
    }
    assertThat(next.get(3).get(10, TimeUnit.SECONDS)).as("same key, still sending").isInstanceOf(
        IdempotencyStore.InFlight.class);
    assertThat(next.get(4).get(10, TimeUnit.SECONDS)).as("same key, other body").isInstanceOf(
        IdempotencyStore.Mismatch.class);
    assertThat(counted.writes.get()).as("one commit for the first, one for the five behind it").isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> store.commits() == 2);
    assertThat(phases()).isEqualTo(java.util.Map.of("a", SENDING, "b", SENDING, "c", SENDING, "d", SENDING));
  }

  @Test
  void aBeginThatProceedsIsAnsweredOnceAppliedWhileAReplayInTheSameCommitWaitsUntilItIsDurable() throws Exception {
    store.begin("key-1", "done", BODY);
    store.complete("key-1", "done", 201, "{\"id\":\"msg_done\"}");
    long before = store.commits();
    CountDownLatch release = holdTheLog();
    Future<IdempotencyStore.Decision> first = taken(() -> store.begin("key-1", "held", BODY));
    Future<IdempotencyStore.Decision> proceed = callers.submit(() -> store.begin("key-1", "a", BODY));
    Future<IdempotencyStore.Decision> replay = callers.submit(() -> store.begin("key-1", "done", BODY));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.group.queued() == 2);
    CountDownLatch commit = new CountDownLatch(1);
    counted.holdCommits.set(commit);

    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new IdempotencyStore.Proceed(false));
    assertThat(proceed.get(10, TimeUnit.SECONDS)).as("answered while its commit is held")
        .isEqualTo(new IdempotencyStore.Proceed(false));
    assertThat(replay.isDone()).as("a replay waits for the commit it read in").isFalse();
    assertThat(store.commits()).isEqualTo(before + 1);

    commit.countDown();

    assertThat(replay.get(10, TimeUnit.SECONDS)).isEqualTo(new IdempotencyStore.Replay(201, "{\"id\":\"msg_done\"}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.commits() == before + 2);
    assertThat(phases()).containsEntry("a", SENDING).containsEntry("done", SENT);
  }

  @Test
  void completesAndReleasesShareACommitAndAreInTheLogWhenTheyReturn() throws Exception {
    for (String k : List.of("a", "b", "c", "d")) {
      store.begin("key-1", k, BODY);
    }
    long before = counted.writes.get();
    CountDownLatch release = holdTheLog();
    Future<Void> first = taken(() -> {
      store.complete("key-1", "a", 201, "{\"id\":\"msg_a\"}");
      return null;
    });
    List<Future<Void>> next = new ArrayList<>();
    for (String k : List.of("b", "c")) {
      next.add(callers.submit(() -> {
        store.complete("key-1", k, 201, "{\"id\":\"msg_" + k + "\"}");
        return null;
      }));
    }
    next.add(callers.submit(() -> {
      store.release("key-1", "d");
      return null;
    }));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.group.queued() == 3);

    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (Future<Void> f : next) {
      f.get(10, TimeUnit.SECONDS);
    }

    assertThat(counted.writes.get() - before).isEqualTo(2);
    assertThat(phases()).isEqualTo(java.util.Map.of("a", SENT, "b", SENT, "c", SENT));
    assertThat(store.begin("key-1", "b", BODY)).isEqualTo(new IdempotencyStore.Replay(201, "{\"id\":\"msg_b\"}"));
    assertThat(store.begin("key-1", "d", BODY)).as("released: sent again").isEqualTo(
        new IdempotencyStore.Proceed(false));
  }

  @Test
  void aChangeThatFailsInASharedCommitFailsOnlyItsOwnCaller() throws Exception {
    store.begin("key-1", "earlier", BODY);
    GroupCommit commits = new GroupCommit(counted);
    commits.start(r -> new Thread(r, "test-group-commit-2"));
    try {
      CountDownLatch release = holdTheLog();
      Future<Object> first = taken(() -> commits.submit(records -> null), commits);
      Future<IdempotencyStore.Decision> good = callers.submit(() -> commits.submit(records -> {
        records.put(new IdempotencyRecord("key-1", "good", BODY, IdempotencyRecord.Phase.SENDING, "relay-1",
            MutableClock.START, 0, ""));
        return new IdempotencyStore.Proceed(false);
      }));
      Future<Object> bad = callers.submit(() -> commits.submit(records -> {
        records.put(new IdempotencyRecord("key-1", "bad", BODY, IdempotencyRecord.Phase.SENDING, "relay-1",
            MutableClock.START, 0, ""));
        throw new IllegalArgumentException("refused by this change alone");
      }));
      await().atMost(Duration.ofSeconds(10)).until(() -> commits.queued() == 2);

      release.countDown();

      first.get(10, TimeUnit.SECONDS);
      assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(new IdempotencyStore.Proceed(false));
      assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalArgumentException.class);
      assertThat(phases()).containsOnlyKeys("earlier", "good");
      assertThat(commits.commits()).as("the first, then the good one alone; the failed ones not").isEqualTo(2);
    } finally {
      commits.close();
    }
  }

  @Test
  void closeCommitsWhatWasHandedInBeforeItAndRefusesWhatComesAfter() throws Exception {
    CountDownLatch release = holdTheLog();
    Future<IdempotencyStore.Decision> first = taken(() -> store.begin("key-1", "a", BODY));
    Future<IdempotencyStore.Decision> second = callers.submit(() -> store.begin("key-1", "b", BODY));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.group.queued() == 1);
    Future<?> closing = callers.submit(store::close);

    release.countDown();
    closing.get(10, TimeUnit.SECONDS);

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new IdempotencyStore.Proceed(false));
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new IdempotencyStore.Proceed(false));
    assertThat(phases()).containsOnlyKeys("a", "b");
    assertThatThrownBy(() -> store.begin("key-1", "c", BODY)).isInstanceOf(RegistryException.class)
        .hasMessageContaining("stopping");
  }

  @Test
  void refusesToCommitBeforeItIsStarted() {
    IdempotencyStore idle = new IdempotencyStore(log, counted, MutableClock.atStart(), Duration.ofHours(24), "relay-2");

    assertThatThrownBy(() -> idle.begin("key-1", "a", BODY)).isInstanceOf(RegistryException.class)
        .hasMessageContaining("not started");
    assertThat(counted.writes.get()).isZero();
  }

  /** Holds the log's lock from another thread until the latch is released. */
  private CountDownLatch holdTheLog() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    holder.submit(() -> log.write(records -> {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  /** Submits {@code call} and waits until the committer has taken it (it then waits for the log). */
  private <T> Future<T> taken(Callable<T> call) {
    return taken(call, store.group);
  }

  private <T> Future<T> taken(Callable<T> call, GroupCommit commits) {
    long before = commits.taken();
    Future<T> f = callers.submit(call);
    await().atMost(Duration.ofSeconds(10)).until(() -> commits.taken() == before + 1);
    return f;
  }

  private java.util.Map<String, IdempotencyRecord.Phase> phases() {
    java.util.Map<String, IdempotencyRecord.Phase> m = new java.util.TreeMap<>();
    for (IdempotencyRecord r : log.all()) {
      m.put(r.idempotencyKey(), r.phase());
    }
    return m;
  }
}
