package dev.holdfast.provisioning.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.testing.QueuedScheduler;
import dev.holdfast.provisioning.testing.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One broker sync serves every change committed before it began; later ones wait for the next,
 * which begins once the thread has rested three times as long as the last round took.
 */
class BatchedSyncTest {
  static final int REST_FACTOR = 3;
  @TempDir Path dir;
  TestPki pki;
  final QueuedScheduler rounds = QueuedScheduler.queued();
  final AtomicLong ticks = new AtomicLong(); // the monotonic ticker rounds are timed on
  final List<String> events = new ArrayList<>();
  int signals;
  BatchedSync batched;

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(dir.resolve("fleet"), 71);
    batched = writing(this::writeFiles);
  }

  /** Rounds on the test's executor, writing {@code files} and counting the broker's signals. */
  BatchedSync writing(BrokerSync.Files files) {
    BrokerSync sync = new BrokerSync(pki.registry, () -> signals++, Optional.empty(), pki.clock);
    return new BatchedSync(sync, files, rounds, ticks::get, REST_FACTOR, "test change");
  }

  @AfterEach
  void tearDown() {
    rounds.shutdownNow();
    pki.close();
  }

  boolean writeFiles() {
    events.add("files");
    return true;
  }

  void commitAChange(String what) throws RegistryException {
    pki.registry.write(tx -> {
      tx.brokerReloads().markPending(pki.clock.instant(), what, Set.of());
      return null;
    });
  }

  /** The broker signalled {@code times}, nothing left pending, and {@code happened} in that order. */
  void assertTakenAfter(int times, String... happened) throws Exception {
    assertThat(events).containsExactly(happened);
    assertThat(signals).isEqualTo(times);
    assertThat(pendingChange()).isEmpty();
  }

  void runTheExecutor() {
    rounds.runAll();
  }

  @Test
  void callersWhoAskBeforeARoundBeginsAreToldAfterOneSyncAndNotBefore() throws Exception {
    commitAChange("a");
    batched.afterSync(() -> events.add("told a"));
    commitAChange("b");
    batched.afterSync(() -> events.add("told b"));
    batched.afterSync(() -> events.add("told c"));

    assertThat(events).as("nobody is told before the broker took it").isEmpty();
    assertThat(rounds.queue).as("one round asked for, however many callers").hasSize(1);
    runTheExecutor();

    assertTakenAfter(1, "files", "told a", "told b", "told c");
  }

  @Test
  void aCallerWhoAsksWhileARoundRunsIsServedByTheNextRoundWhichSeesItsChange() throws Exception {
    batched = writing(() -> {
      events.add("files");
      if (events.size() == 1) { // a confirm commits while the first round writes the files
        commitAChange("late");
        batched.afterSync(() -> events.add("told late"));
      }
      return true;
    });
    commitAChange("early");
    batched.afterSync(() -> events.add("told early"));

    runTheExecutor();

    assertTakenAfter(2, "files", "told early", "files", "told late");
  }

  @Test
  void aFailedSyncStillTellsTheCallersAndLeavesTheChangePendingForTheRetry() throws Exception {
    batched = writing(() -> {
      throw new IOException("disk full");
    });
    commitAChange("a");
    batched.afterSync(() -> events.add("told a"));

    runTheExecutor();

    assertThat(events).containsExactly("told a");
    assertThat(signals).isZero();
    assertThat(pendingChange()).get()
        .satisfies(p -> assertThat(p.what()).isEqualTo("a"));
  }

  @Test
  void aCallerAfterAFinishedRoundStartsANewOne() throws Exception {
    batched.afterSync(() -> events.add("told a"));
    runTheExecutor();
    batched.afterSync(() -> events.add("told b"));

    assertThat(rounds.queue).hasSize(1);
    runTheExecutor();
    assertThat(events).containsExactly("files", "told a", "files", "told b");
  }

  @Test
  void aRoundAfterAQuietSpellBeginsAtOnce() {
    batched = taking(Duration.ofMillis(40));
    batched.afterSync(() -> events.add("told a"));
    rounds.runNext();
    tick(Duration.ofMillis(40 * REST_FACTOR));

    batched.afterSync(() -> events.add("told b"));

    assertThat(rounds.runNext()).isZero();
    assertThat(events).containsExactly("files", "told a", "files", "told b");
  }

  @Test
  void theNextRoundWaitsRestFactorTimesAsLongAsTheLastOneTook() {
    batched = taking(Duration.ofMillis(40));
    batched.afterSync(() -> events.add("told a"));
    rounds.runNext();
    tick(Duration.ofMillis(10));

    batched.afterSync(() -> events.add("told b"));
    batched.afterSync(() -> events.add("told c"));

    assertThat(rounds.queue).singleElement()
        .satisfies(next -> assertThat(next.delay()).isEqualTo(Duration.ofMillis(40 * REST_FACTOR - 10)));
    rounds.runNext();
    assertThat(events).containsExactly("files", "told a", "files", "told b", "told c");
  }

  @Test
  void callersWhoAskWhileARoundRunsAreServedAfterTheRestThatFollowsIt() {
    batched = writing(() -> {
      events.add("files");
      tick(Duration.ofMillis(30)); // the round takes 30 ms, and someone asks meanwhile
      if (events.size() == 1) {
        batched.afterSync(() -> events.add("told late"));
      }
      return true;
    });
    batched.afterSync(() -> events.add("told early"));

    rounds.runNext();

    assertThat(rounds.queue).singleElement()
        .satisfies(next -> assertThat(next.delay()).isEqualTo(Duration.ofMillis(30 * REST_FACTOR)));
    rounds.runNext();
    assertThat(events).containsExactly("files", "told early", "files", "told late");
  }

  void tick(Duration passed) {
    ticks.addAndGet(passed.toNanos());
  }

  @Test
  void noRestIsLongerThanTheMaximumHoweverLongTheRoundTook() {
    batched = taking(Duration.ofSeconds(10)); // e.g. a broker signal that waited for its timeout
    batched.afterSync(() -> events.add("told a"));
    rounds.runNext();

    batched.afterSync(() -> events.add("told b"));

    assertThat(rounds.queue).singleElement()
        .satisfies(next -> assertThat(next.delay()).isEqualTo(BatchedSync.MAX_REST));
  }

  @Test
  void aRoundTheExecutorRefusesRunsOnTheCallersThreadSoNobodyIsLeftUntold() throws Exception {
    commitAChange("a");
    rounds.shutdown();

    batched.afterSync(() -> events.add("told a"));

    assertTakenAfter(1, "files", "told a");
  }

  /** Rounds that each take {@code took} of the ticker to write the files. */
  BatchedSync taking(Duration took) {
    return writing(() -> {
      tick(took);
      return writeFiles();
    });
  }

  Optional<PendingReload> pendingChange() throws Exception {
    return pki.registry.read(tx -> tx.brokerReloads().pending());
  }
}
