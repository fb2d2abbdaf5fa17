package dev.holdfast.bench.outbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP sink on a fixed port that answers 200 and counts the distinct Idempotency-Keys
 * it received; while stopped, connections to the port are refused. A stand-in until the shared
 * harness's sink is on this branch.
 */
final class DrainSink implements AutoCloseable {
  private final int port;
  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  private HttpServer server;

  private DrainSink(int port) {
    this.port = port;
  }

  /**
   * Picks a free loopback port and starts refusing on it (not listening). The port is taken below
   * the ephemeral range: there, a client retrying a port nobody listens on can end up connected to
   * itself (TCP simultaneous open) and hold the port.
   */
  static DrainSink refusing() throws IOException {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 20_000 + random.nextInt(12_000);
      // a plain socket: an HttpServer created but never started keeps its port after stop()
      try {
        new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
        return new DrainSink(port);
      } catch (java.net.BindException e) {
        // taken; try another
      }
    }
    throw new IOException("no free loopback port found between 20000 and 32000");
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  synchronized void accept() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    server.setExecutor(threads);
    server.createContext("/", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        body.readAllBytes();
      }
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (key != null) {
        keys.add(key);
      }
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  /** Stops listening: new connections are refused. */
  synchronized void refuse() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Distinct idempotency keys received (what an idempotent receiver would have acted on). */
  long distinctKeys() {
    return keys.size();
  }

  long requests() {
    return requests.get();
  }

  void reset() {
    keys.clear();
    requests.set(0);
  }

  @Override
  public void close() {
    refuse();
    threads.shutdownNow();
  }
}
