package dev.holdfast.bench.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An idempotent receiver on 127.0.0.1: it applies each {@code Idempotency-Key} once (the
 * "effect": its path and body as first received) and counts the duplicates, notes a key that came
 * again with another path or body (two different messages under one key), and keeps per path the
 * order in which keys first arrived. Its {@link Mode} can be switched while the agent delivers: answering, refusing
 * connections (the port closed), 503 with {@code Retry-After}, or slow; {@link #down()} starts it refusing.
 */
public final class RecordingSink implements AutoCloseable {
  /** How the sink answers. */
  public enum Mode {
    ACCEPT,
    /** The listening socket is closed: connection refused. */
    DOWN,
    /** 503 with {@code Retry-After: 1}. */
    UNAVAILABLE,
    /** 200, but only after {@link #SLOW_MILLIS}. */
    SLOW,
    /** 401: the sender's credentials are refused. */
    UNAUTHORIZED
  }

  static final long SLOW_MILLIS = 300;

  private final int port;
  private final ExecutorService threads = Executors.newFixedThreadPool(32);
  private final Map<String, Integer> arrivals = new HashMap<>();
  private final Map<String, List<String>> firstOrderByPath = new HashMap<>();
  private final Map<String, String> firstContent = new HashMap<>();
  private final Set<String> conflicting = new HashSet<>();
  private final AtomicLong requests = new AtomicLong();
  private volatile Mode mode = Mode.ACCEPT;
  private HttpServer server;

  public RecordingSink() throws IOException {
    server = listen(0);
    port = server.getAddress().getPort();
  }

  private RecordingSink(int port) {
    this.port = port;
    this.mode = Mode.DOWN;
  }

  /**
   * A sink that starts {@link Mode#DOWN} (connections refused) on a free port below the ephemeral
   * range: there a client that keeps retrying a closed port cannot end up connected to itself (TCP
   * simultaneous open) and hold the port the sink must open again.
   */
  public static RecordingSink down() throws IOException {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int candidate = 20_000 + random.nextInt(12_000);
      // probed with a plain socket: an HttpServer created but never started keeps its port
      try (java.net.ServerSocket probe = new java.net.ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
        return new RecordingSink(probe.getLocalPort());
      } catch (java.net.BindException e) {
        // taken; try another
      }
    }
    throw new IOException("no free loopback port found between 20000 and 32000");
  }

  private HttpServer listen(int onPort) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 256);
    s.setExecutor(threads);
    s.createContext("/", this::handle);
    s.start();
    return s;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Switches the mode; DOWN closes the port, leaving DOWN opens it again on the same port. */
  public synchronized void mode(Mode next) throws IOException {
    if (next == Mode.DOWN && server != null) {
      server.stop(0);
      server = null;
    } else if (next != Mode.DOWN && server == null) {
      server = listen(port);
    }
    mode = next;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      Mode now = mode;
      if (now == Mode.UNAVAILABLE) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      if (now == Mode.UNAUTHORIZED) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      if (now == Mode.SLOW) {
        TimeUnit.MILLISECONDS.sleep(SLOW_MILLIS);
      }
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (key == null) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      record(exchange.getRequestURI().getPath(), key, new String(body, StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void record(String path, String key, String body) {
    String content = path + "\n" + body;
    if (arrivals.merge(key, 1, Integer::sum) == 1) {
      firstOrderByPath.computeIfAbsent(path, p -> new ArrayList<>()).add(key);
      firstContent.put(key, content);
    } else if (!firstContent.get(key).equals(content)) {
      conflicting.add(key);
    }
  }

  /** What the effect of {@code key} was: the path and body it first arrived with. */
  public record Effect(String path, String body) {}

  /** The effect of {@code key}, if it arrived. */
  public synchronized java.util.Optional<Effect> effect(String key) {
    return java.util.Optional.ofNullable(firstContent.get(key))
        .map(c -> new Effect(c.substring(0, c.indexOf('\n')), c.substring(c.indexOf('\n') + 1)));
  }

  /** Keys that arrived again with another path or body: two different messages under one key. */
  public synchronized Set<String> conflicting() {
    return Set.copyOf(conflicting);
  }

  /** Keys applied (each once, however often it arrived). */
  public synchronized Set<String> effects() {
    return Set.copyOf(arrivals.keySet());
  }

  /** How many keys were applied, without copying them (cheap enough to poll). */
  public synchronized int effectCount() {
    return arrivals.size();
  }

  /** Arrivals beyond the first, summed over all keys: what at-least-once delivery cost. */
  public synchronized long duplicates() {
    return arrivals.values().stream().mapToLong(n -> n - 1L).sum();
  }

  /** Per path, keys in the order they first arrived. */
  public synchronized Map<String, List<String>> firstArrivalOrder() {
    Map<String, List<String>> copy = new HashMap<>();
    firstOrderByPath.forEach((p, keys) -> copy.put(p, List.copyOf(keys)));
    return copy;
  }

  public long requests() {
    return requests.get();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
    }
    threads.shutdownNow();
  }
}
