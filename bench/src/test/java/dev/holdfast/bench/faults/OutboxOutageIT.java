package dev.holdfast.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.Producer;
import dev.holdfast.bench.support.RecordingSink;
import dev.holdfast.bench.support.RecordingSink.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 messages to 8 destinations while the receiver is down (connection refused), then
 * answering 503 with Retry-After, then slow, then well: all arrive, in order per destination.
 */
class OutboxOutageIT {
  static final int DESTINATIONS = 8;
  static final int PER_DESTINATION = 1250;

  @TempDir Path home;
  RecordingSink sink;
  AgentProcess agent;

  @BeforeEach
  void start() throws Exception {
    sink = new RecordingSink();
    agent = AgentProcess.create(home, List.of("log.level = warn", "outbox.concurrency = 8",
        "outbox.retry.base = 50ms", "outbox.retry.cap = 1s", "delivery.timeout = 2s", "outbox.max-records = 20000"),
        List.of());
    agent.start();
  }

  @AfterEach
  void stop() {
    agent.close();
    sink.close();
  }

  private long queued() {
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) Producer.ask(agent.socket(), Map.of("op", "status"))
        .orElseThrow().get("status");
    return ((Number) status.get("queued")).longValue();
  }

  private static String key(int destination, int i) {
    return String.format("o-%d-%05d", destination, i);
  }

  @Test
  void everyMessageQueuedDuringAnOutageArrivesAfterItInOrderPerDestination() throws Exception {
    sink.mode(Mode.DOWN);
    AtomicInteger acked = new AtomicInteger();
    List<Thread> producers = new ArrayList<>();
    for (int d = 0; d < DESTINATIONS; d++) {
      int destination = d;
      String url = sink.uri("/dest-" + d).toString();
      Thread t = new Thread(() -> {
        try (Producer p = new Producer(agent.socket())) {
          for (int i = 0; i < PER_DESTINATION; i++) {
            if (p.send(Producer.webhook(url, key(destination, i), "{\"i\":" + i + "}")) == Producer.Outcome.ACKED) {
              acked.incrementAndGet();
            }
          }
        }
      });
      t.start();
      producers.add(t);
    }
    for (Thread t : producers) {
      t.join();
    }
    assertThat(acked).hasValue(DESTINATIONS * PER_DESTINATION);
    assertThat(queued()).isEqualTo(DESTINATIONS * PER_DESTINATION);
    assertThat(sink.requests()).as("nothing got through while the port was closed").isZero();

    sink.mode(Mode.UNAVAILABLE);
    await().atMost(Duration.ofMinutes(2)).until(() -> sink.requests() >= 3L * DESTINATIONS);
    assertThat(sink.effects()).as("a 503 is not a delivery").isEmpty();

    sink.mode(Mode.SLOW);
    await().atMost(Duration.ofMinutes(2)).until(() -> sink.effects().size() >= 4 * DESTINATIONS);

    sink.mode(Mode.ACCEPT);
    await().atMost(Duration.ofMinutes(5)).until(() -> queued() == 0);
    assertThat(sink.effects()).hasSize(DESTINATIONS * PER_DESTINATION);
    Map<String, List<String>> order = sink.firstArrivalOrder();
    for (int d = 0; d < DESTINATIONS; d++) {
      int destination = d;
      assertThat(order.get("/dest-" + d)).as("destination %d in send order", d)
          .containsExactlyElementsOf(IntStream.range(0, PER_DESTINATION).mapToObj(i -> key(destination, i)).toList());
    }
    System.out.printf("outage: %d requests for %d messages (%d duplicate deliveries)%n", sink.requests(),
        DESTINATIONS * PER_DESTINATION, sink.duplicates());
  }
}
