package dev.holdfast.bench.relay;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * N concurrent clients (each its own {@link HttpClient}, so its own keep-alive connection, like N
 * devices), each sending a fixed number of requests one after the other. Bounded: every phase
 * sends exactly {@code clients * perClient} requests, and any unexpected status aborts the run.
 */
final class Load {
  /** Builds request {@code i} of client {@code c}. */
  @FunctionalInterface
  interface Requests {
    HttpRequest build(int c, int i);
  }

  private final int clients;
  private final SSLContext ssl;

  Load(int clients, SSLContext ssl) {
    this.clients = clients;
    this.ssl = ssl;
  }

  /** Requests per second over all clients. */
  double run(int perClient, int expectedStatus, Requests requests) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<HttpClient> http = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        http.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build());
      }
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perClient; i++) {
            HttpResponse<String> r = http.get(client).send(requests.build(client, i),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expectedStatus) {
              throw new IllegalStateException("expected " + expectedStatus + ", got " + r.statusCode() + ": " + r.body());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return clients * (double) perClient / seconds;
    } finally {
      pool.shutdownNow();
    }
  }
}
