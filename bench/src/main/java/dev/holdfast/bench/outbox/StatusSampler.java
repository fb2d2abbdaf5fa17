package dev.holdfast.bench.outbox;

import dev.holdfast.agent.local.LocalApiClient;
import dev.holdfast.agent.local.LocalApiHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Samples the agent's {@code status} over the socket at a fixed period on its own thread: queue
 * depth and the webhook channel's delivered count, from which the delivery rate follows.
 */
final class StatusSampler implements AutoCloseable {
  /** One sample: seconds since the start, records queued, webhook records delivered so far. */
  record Sample(double seconds, long queued, long delivered) {}

  private final LocalApiClient client;
  private final long periodMillis;
  private final List<Sample> samples = new ArrayList<>();
  private final List<String> marks = new ArrayList<>();
  private final long started = System.nanoTime();
  private final Thread thread;
  private volatile boolean stopped;

  StatusSampler(Path socket, long periodMillis) throws IOException {
    this.client = LocalApiClient.connect(socket);
    this.periodMillis = periodMillis;
    this.thread = new Thread(this::loop, "status-sampler");
    this.thread.start();
  }

  private void loop() {
    while (!stopped) {
      try {
        Map<String, Object> response = client.call(Map.of("op", "status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) response.get("status");
        @SuppressWarnings("unchecked")
        Map<String, Object> webhook = (Map<String, Object>) ((Map<String, Object>) status.get("channels")).get("webhook");
        Sample s = new Sample(seconds(), LocalApiHandler.number(status.get("queued")),
            LocalApiHandler.number(webhook.get("delivered")));
        synchronized (this) {
          samples.add(s);
        }
        Thread.sleep(periodMillis);
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** Labels the current moment on the chart (e.g. "sink down"). */
  synchronized void mark(String label) {
    marks.add(String.format(java.util.Locale.ROOT, "%.3f %s", seconds(), label));
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  synchronized List<String> marks() {
    return List.copyOf(marks);
  }

  @Override
  public void close() throws IOException {
    stopped = true;
    client.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
