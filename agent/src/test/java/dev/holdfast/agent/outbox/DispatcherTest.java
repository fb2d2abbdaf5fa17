package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.delivery.HttpDelivery;
import dev.holdfast.agent.delivery.WebhookSender;
import dev.holdfast.agent.testing.RecordingServer;
import dev.holdfast.agent.testing.RecordingServer.Answer;
import dev.holdfast.testkit.SecretScan;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher delivering a real outbox to a real HTTP server through the real webhook sender. */
class DispatcherTest {
  static final OutboxSettings FAST = new OutboxSettings(10_000, 1 << 24, 4096, OutboxSettings.WhenFull.REFUSE,
      Duration.ofHours(1), 4, Duration.ofMillis(20), Duration.ofMillis(200));

  @TempDir Path dir;
  RecordingServer server;
  Vault vault;
  Outbox outbox;
  Dispatcher dispatcher;

  @BeforeEach
  void start() throws Exception {
    server = new RecordingServer();
    Clock clock = Clock.systemUTC();
    vault = Vault.create(dir.resolve("agent.db"), OutboxFixture.key(), new SecureRandom());
    outbox = Outbox.open(vault, FAST, clock, new SplittableRandom(3));
    HttpDelivery http = new HttpDelivery(HttpDelivery.PLATFORM_TLS, Duration.ofSeconds(5), clock);
    WebhookSender webhook = new WebhookSender(http, Optional.empty(), clock);
    dispatcher = new Dispatcher(outbox, r -> webhook, new RetryPolicy(FAST.retryBase(), FAST.retryCap()),
        FAST.concurrency(), clock, Executors.newSingleThreadScheduledExecutor(), Executors.newFixedThreadPool(4));
    dispatcher.start();
  }

  @AfterEach
  void stop() {
    dispatcher.shutdown(Duration.ofSeconds(5));
    server.close();
    outbox.close();
    vault.close();
  }

  private RecordId send(String path, String body) throws OutboxException {
    return outbox.enqueue(OutboxFixture.webhook(server.uri(path).toString(), body));
  }

  private List<String> delivered(String path) {
    return server.requests().stream().filter(r -> r.path().equals(path)).map(RecordingServer.Request::text).toList();
  }

  @Test
  void everyRecordIsDeliveredInOrderPerDestinationAndLeavesTheQueue() throws Exception {
    for (int i = 0; i < 30; i++) {
      send("/a", "a" + i);
      send("/b", "b" + i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox.status().queued() == 0);
    assertThat(delivered("/a")).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30)
        .mapToObj(i -> "a" + i).toList());
    assertThat(delivered("/b")).hasSize(30);
    assertThat(outbox.status().channels().get(Channel.WEBHOOK).delivered()).isEqualTo(60);
  }

  @Test
  void aFailingDestinationRetriesItsHeadWhileAnotherDestinationIsServed() throws Exception {
    AtomicInteger slowAttempts = new AtomicInteger();
    server.answer(r -> r.path().equals("/down") && slowAttempts.incrementAndGet() <= 3
        ? Answer.of(503, "Retry-After", "0") : Answer.of(200));
    send("/down", "first");
    send("/down", "second");
    send("/up", "other");
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox.status().queued() == 0);
    List<String> order = server.requests().stream().map(RecordingServer.Request::text).toList();
    assertThat(delivered("/down")).containsExactly("first", "first", "first", "first", "second");
    assertThat(order.indexOf("other")).as("'/up' did not wait for '/down'").isLessThan(order.lastIndexOf("first"));
  }

  @Test
  void aPermanentRefusalBecomesADeadLetterAndTheNextRecordGoesOn() throws Exception {
    server.answer(r -> r.text().equals("bad") ? Answer.of(422) : Answer.of(200));
    RecordId bad = send("/x", "bad");
    send("/x", "good");
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox.status().queued() == 0);
    assertThat(outbox.list(true)).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo(bad);
      assertThat(r.lastError()).contains("HTTP 422");
    });
    assertThat(delivered("/x")).containsExactly("bad", "good");
  }

  @Test
  void stoppingWithAnAttemptInFlightLeavesItsRecordQueued() throws Exception {
    server.answer(r -> Answer.HANG);
    RecordId id = send("/hang", "in flight");
    await().atMost(Duration.ofSeconds(30)).until(() -> !server.requests().isEmpty());
    dispatcher.shutdown(Duration.ofMillis(100));
    assertThat(outbox.find(id)).isPresent();
  }

  @Test
  void afterDeliveryNothingOfTheMessagesIsReadableInTheDataDirectory() throws Exception {
    for (int i = 0; i < 20; i++) {
      send("/secret-path-d41d8", "body-of-a-private-message-" + i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox.status().queued() == 0);
    assertThat(Files.list(dir.resolve("outbox"))).as("the outbox's segments are scanned too")
        .anyMatch(p -> p.toString().endsWith(".seg"));
    SecretScan.assertNoneIn(dir, List.of("secret-path-d41d8", "body-of-a-private-message"));
  }
}
