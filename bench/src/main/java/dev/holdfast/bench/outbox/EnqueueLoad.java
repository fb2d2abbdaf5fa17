package dev.holdfast.bench.outbox;

import dev.holdfast.agent.local.LocalApiClient;
import dev.holdfast.bench.support.Producer;
import dev.holdfast.bench.support.Producers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Producers that each hold one connection to the agent's local API and send webhook records one
 * after the other, each waiting for its acknowledgement, until a deadline. Returns acknowledged
 * records per second. The timed loop stays here rather than in the shared producers: it reuses
 * one request and connects before the clock starts, so the figure is the agent's alone; the
 * untimed fill and the paced outage load use the shared ones.
 */
final class EnqueueLoad {
  private final Path socket;
  private final Map<String, Object> request;
  /** How many records the last {@link #run} had acknowledged. */
  long lastAcked;

  EnqueueLoad(Path socket, String url, String body) {
    this(socket, sendRequest(url, body));
  }

  private EnqueueLoad(Path socket, Map<String, Object> request) {
    this.socket = socket;
    this.request = request;
  }

  /** The same loop with {@code {"op":"status"}}: a round trip through the socket with no commit. */
  static EnqueueLoad statusOnly(Path socket) {
    return new EnqueueLoad(socket, Map.of("op", "status"));
  }

  private static Map<String, Object> sendRequest(String url, String body) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("op", "send");
    r.put("channel", "webhook");
    r.put("url", url);
    r.put("body", body);
    r.put("content_type", "application/json");
    return Map.copyOf(r);
  }

  double run(int producers, double seconds) throws Exception {
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(producers);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < producers; i++) {
      Thread t = new Thread(() -> {
        try (LocalApiClient client = LocalApiClient.connect(socket)) {
          ready.countDown();
          go.await();
          while (System.nanoTime() < window[1] && failure.get() == null) {
            ack(client.call(request));
            acked.incrementAndGet();
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
          ready.countDown();
        }
      }, "producer-" + i);
      threads.add(t);
      t.start();
    }
    ready.await();
    window[0] = System.nanoTime();
    window[1] = window[0] + (long) (seconds * 1e9);
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    lastAcked = acked.get();
    return acked.get() / ((System.nanoTime() - window[0]) / 1e9);
  }

  /**
   * Queues {@code perUrl} records for each of {@code urls} with the shared producers, one per URL,
   * as fast as the agent acknowledges them (not timed: the drain is timed afterwards).
   */
  static long fill(Path socket, List<String> urls, int perUrl, String body) throws Exception {
    ConcurrentLinkedQueue<Producers.Message> pending = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < perUrl; i++) {
      for (String url : urls) {
        pending.add(new Producers.Message(UUID.randomUUID().toString(), url, body));
      }
    }
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Producers.sendAll(socket, urls.size(), pending, acked);
    if (!pending.isEmpty()) {
      throw new IOException("the agent refused or dropped a send; " + pending.size() + " records not queued");
    }
    return acked.size();
  }

  /** One producer sending round-robin to {@code urls} at about {@code perSecond} for {@code seconds}. */
  static long paced(Path socket, List<String> urls, int perSecond, double seconds) throws Exception {
    long sent = 0;
    long started = System.nanoTime();
    long end = started + (long) (seconds * 1e9);
    try (Producer producer = new Producer(socket)) {
      while (System.nanoTime() < end) {
        String url = urls.get((int) (sent % urls.size()));
        String key = UUID.randomUUID().toString();
        Producer.Outcome outcome = producer.send(Producer.webhook(url, key, "{\"n\":" + sent + "}"));
        if (outcome != Producer.Outcome.ACKED) {
          throw new IOException("the agent did not acknowledge record " + sent + ": " + outcome);
        }
        sent++;
        long due = started + (long) (sent * 1e9 / perSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    }
    return sent;
  }

  private static void ack(Map<String, Object> response) throws IOException {
    if (!Boolean.TRUE.equals(response.get("ok"))) {
      throw new IOException("the agent refused a record: " + response);
    }
  }
}
