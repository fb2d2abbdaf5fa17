package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The committer on a scheduler and a ticker the test drives by hand: nothing runs or waits by itself. */
class CommitterTest {
  final ManualScheduler scheduler = new ManualScheduler();
  final AtomicLong ticker = new AtomicLong(1_000_000_000L);
  final List<Integer> rounds = new CopyOnWriteArrayList<>();
  final Committer committer = new Committer(scheduler, ticker::get, Linger.Limits.DEFAULT, pendings -> {
    rounds.add(pendings.size());
    complete(pendings);
  });

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void complete(List<Committer.Pending<?>> pendings) {
    for (Committer.Pending p : pendings) {
      p.done().complete("done");
    }
  }

  @Test
  void makingACommitterStartsNothingAndQueuesNothing() {
    assertThat(scheduler.hasReady()).isFalse();
    assertThat(scheduler.timed()).isEmpty();
    assertThat(rounds).isEmpty();
  }

  @Test
  void outcomesNobodyWaitsForGatherUntilTheLingerRunsOutThenGoInOneRound() {
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      futures.add(committer.submitAsync(batch -> "x"));
      ticker.addAndGet(1_000_000); // 1 ms apart
    }
    scheduler.runReady();
    assertThat(rounds).as("nothing committed yet").isEmpty();
    assertThat(scheduler.timed()).last().satisfies(t -> assertThat(t.delay()).isEqualTo(Duration.ofMillis(17)));
    ticker.addAndGet(17_000_000);
    scheduler.timed().get(scheduler.timed().size() - 1).task().run();
    assertThat(rounds).containsExactly(3);
    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
  }

  @Test
  void aWaitingCallerIsCommittedAtOnceTogetherWithTheOutcomesQueuedBeforeIt() throws Exception {
    committer.submitAsync(batch -> "outcome");
    committer.submitAsync(batch -> "outcome");
    CompletableFuture<String> caller = CompletableFuture.supplyAsync(() -> {
      try {
        return committer.submit(batch -> "enqueued");
      } catch (OutboxException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      scheduler.runReady();
      return !rounds.isEmpty();
    });
    assertThat(rounds).containsExactly(3);
    assertThat(caller.get()).isEqualTo("done");
  }

  @Test
  void afterCloseAChangeIsRefusedAndWhatWasQueuedBeforeIsCommittedWithoutLingering() throws Exception {
    CompletableFuture<String> queued = committer.submitAsync(batch -> "outcome");
    CompletableFuture<Void> closing = CompletableFuture.runAsync(committer::close);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      scheduler.runReady();
      return closing.isDone();
    });
    assertThat(queued).isCompleted();
    assertThat(rounds).containsExactly(1);
    assertThat(committer.submitAsync(batch -> "late")).isCompletedExceptionally();
  }
}
