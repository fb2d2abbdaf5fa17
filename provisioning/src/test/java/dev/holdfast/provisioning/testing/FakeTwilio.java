package dev.holdfast.provisioning.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A recording stand-in for Twilio's Messages API: a real HTTP server on 127.0.0.1, port 0. Tests
 * choose its next answers and may hold a request until released.
 */
public final class FakeTwilio implements AutoCloseable {
  /** One received request: path, Authorization header, decoded form fields and the raw body. */
  public record Received(String path, String authorization, Map<String, String> form, String body) {}

  /** What to answer. */
  public record Answer(int status, String body, String retryAfter) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<Answer> answer = new AtomicReference<>(created());
  private final AtomicReference<CountDownLatch> hold = new AtomicReference<>(new CountDownLatch(0));

  public FakeTwilio() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", exchange -> {
      try (exchange) {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Authorization"), decode(form), form));
        hold.get().await(30, TimeUnit.SECONDS);
        Answer a = answer.get();
        if (a.retryAfter() != null) {
          exchange.getResponseHeaders().set("Retry-After", a.retryAfter());
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(a.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  public static Answer created() {
    return new Answer(201, "{\"sid\":\"SM0123456789abcdef\",\"status\":\"queued\"}", null);
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void answer(Answer a) {
    answer.set(a);
  }

  /** Holds every request until the returned latch is counted down. */
  public CountDownLatch holdRequests() {
    CountDownLatch latch = new CountDownLatch(1);
    hold.set(latch);
    return latch;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  private static Map<String, String> decode(String form) {
    Map<String, String> out = new HashMap<>();
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void close() {
    hold.get().countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
