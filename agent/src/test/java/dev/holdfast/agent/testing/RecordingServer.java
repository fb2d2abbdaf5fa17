package dev.holdfast.agent.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers what the test says:
 * a status and headers per request, or no answer at all until {@link #close()}.
 */
public final class RecordingServer implements AutoCloseable {
  /** One request as received. */
  public record Request(String method, String path, Headers headers, byte[] body) {
    public String header(String name) {
      return headers.getFirst(name);
    }

    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** What to answer; {@link #HANG} answers nothing. */
  public record Answer(int status, List<String> headerPairs) {
    public static final Answer HANG = new Answer(-1, List.of());

    public static Answer of(int status, String... headerPairs) {
      return new Answer(status, List.of(headerPairs));
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Function<Request, Answer> answers = r -> Answer.of(200);

  public RecordingServer() throws IOException {
    this(0);
  }

  /** On a given port of 127.0.0.1 (0: any free one). */
  public RecordingServer(int port) throws IOException {
    this(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64));
  }

  /** Over HTTPS, on any free port of 127.0.0.1, presenting {@code tls}'s certificate. */
  public RecordingServer(SSLContext tls) throws IOException {
    this(https(tls));
  }

  private static HttpServer https(SSLContext tls) throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    return https;
  }

  private RecordingServer(HttpServer server) {
    this.server = server;
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes());
      requests.add(request);
      Answer answer = answers.apply(request);
      if (answer == Answer.HANG) {
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
        return;
      }
      for (int i = 0; i + 1 < answer.headerPairs().size(); i += 2) {
        exchange.getResponseHeaders().add(answer.headerPairs().get(i), answer.headerPairs().get(i + 1));
      }
      exchange.sendResponseHeaders(answer.status(), -1);
      exchange.close();
    });
    server.start();
  }

  public void answer(Function<Request, Answer> answers) {
    this.answers = answers;
  }

  public URI uri(String path) {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
  }
}
