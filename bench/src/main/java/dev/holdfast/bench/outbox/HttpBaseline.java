package dev.holdfast.bench.outbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The drain baseline: a bare {@link HttpClient} loop with the agent's concurrency, one thread per
 * destination sending its records one after the other (as the dispatcher's lanes do), each a POST
 * of the same body with a Content-Type and an Idempotency-Key. Returns requests per second.
 */
final class HttpBaseline {
  private HttpBaseline() {}

  static double run(List<URI> lanes, int perLane, String body) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    long started = System.nanoTime();
    for (URI lane : lanes) {
      Thread t = new Thread(() -> {
        try {
          for (int i = 0; i < perLane && failure.get() == null; i++) {
            HttpRequest request = HttpRequest.newBuilder(lane).timeout(Duration.ofSeconds(10))
                .header("Content-Type", Params.CONTENT_TYPE)
                .header("Idempotency-Key", UUID.randomUUID().toString().replace("-", ""))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            int status;
            try {
              status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException e) {
              // a pooled connection the server had just closed as idle; the agent's sender retries too
              status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            if (status / 100 != 2) {
              throw new IllegalStateException("the sink answered " + status + " to the baseline");
            }
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      }, "baseline-" + lane.getPath());
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return lanes.size() * (double) perLane / ((System.nanoTime() - started) / 1e9);
  }
}
