package dev.holdfast.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog is fed only while every part answers its probe: a part whose thread is blocked
 * (a real thread, held by a latch) stops the pings, and they come back once it answers again.
 */
class ServiceWatchTest {
  final List<List<String>> sent = new ArrayList<>();
  final ServiceManager recording = sent::add;
  final ExecutorService dispatcherThread = Executors.newSingleThreadExecutor();
  final ExecutorService linkThread = Executors.newSingleThreadExecutor();
  final ManualScheduler scheduler = new ManualScheduler();
  String line = "0 queued, 0 dead; mqtt CONNECTED";

  @AfterEach
  void stop() {
    dispatcherThread.shutdownNow();
    linkThread.shutdownNow();
  }

  ServiceWatch watch(Optional<Duration> watchdog) {
    Map<String, Supplier<CompletableFuture<?>>> probes = new LinkedHashMap<>();
    probes.put("dispatcher", () -> CompletableFuture.runAsync(() -> {}, dispatcherThread));
    probes.put("mqtt link", () -> CompletableFuture.runAsync(() -> {}, linkThread));
    return new ServiceWatch(recording, new Liveness(probes), () -> line, watchdog, scheduler);
  }

  @Test
  void readySaysReadyWithTheStatusLineAndTicksEveryHalfWatchdogInterval() {
    watch(Optional.of(Duration.ofSeconds(60))).ready();
    assertThat(sent).containsExactly(List.of("READY=1", "STATUS=0 queued, 0 dead; mqtt CONNECTED"));
    assertThat(watch(Optional.of(Duration.ofSeconds(60))).interval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aBlockedDispatcherStopsTheWatchdogPingsUntilItAnswersAgain() throws Exception {
    ServiceWatch w = watch(Optional.of(Duration.ofMillis(400)));
    w.ready();
    w.tick();
    assertThat(sent.get(sent.size() - 1)).containsExactly("WATCHDOG=1");

    CountDownLatch hung = new CountDownLatch(1);
    dispatcherThread.execute(() -> awaitQuietly(hung));
    w.tick();
    assertThat(w.stuck()).containsExactly("dispatcher");
    assertThat(sent.get(sent.size() - 1)).containsExactly("STATUS=NOT ANSWERING: dispatcher; " + line);
    int before = sent.size();
    w.tick();
    assertThat(sent).hasSize(before).as("no ping, and the same status is not sent twice");

    hung.countDown();
    w.tick();
    assertThat(w.stuck()).isEmpty();
    assertThat(sent.get(sent.size() - 1)).containsExactly("WATCHDOG=1", "STATUS=" + line);
  }

  @Test
  void withoutAWatchdogOnlyTheStatusGoesOutWhenItChanges() {
    ServiceWatch w = watch(Optional.empty());
    w.ready();
    w.tick();
    assertThat(sent).hasSize(1);
    line = "3 queued, 0 dead; mqtt WAITING";
    w.tick();
    assertThat(sent.get(1)).containsExactly("STATUS=3 queued, 0 dead; mqtt WAITING");
    assertThat(w.interval()).isEqualTo(ServiceWatch.TICK);
  }

  @Test
  void stoppingIsSaidOnClose() {
    ServiceWatch w = watch(Optional.empty());
    w.ready();
    w.close();
    assertThat(sent.get(sent.size() - 1)).containsExactly("STOPPING=1", "STATUS=stopping");
  }

  @Test
  void theWatchdogIntervalComesFromTheEnvironmentOnlyForThisProcess() {
    assertThat(ServiceWatch.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000"), 42))
        .contains(Duration.ofSeconds(60));
    assertThat(ServiceWatch.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "42"), 42))
        .contains(Duration.ofSeconds(60));
    assertThat(ServiceWatch.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "7"), 42)).isEmpty();
    assertThat(ServiceWatch.watchdogInterval(Map.of(), 42)).isEmpty();
    assertThat(ServiceWatch.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 42)).isEmpty();
  }

  @Test
  void aStuckPartIsNotAskedAgainWhileItsProbeWaits() throws Exception {
    List<String> asked = new ArrayList<>();
    CompletableFuture<Void> never = new CompletableFuture<>();
    Liveness liveness = new Liveness(Map.of("outbox", () -> {
      asked.add("outbox");
      return never;
    }));
    assertThat(liveness.stuck(Duration.ofMillis(50))).containsExactly("outbox");
    assertThat(liveness.stuck(Duration.ofMillis(50))).containsExactly("outbox");
    assertThat(asked).hasSize(1);
    never.complete(null);
    assertThat(liveness.stuck(Duration.ofMillis(50))).isEmpty();
    assertThat(asked).hasSize(2);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
