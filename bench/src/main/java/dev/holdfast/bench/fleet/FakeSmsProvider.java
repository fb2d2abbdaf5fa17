package dev.holdfast.bench.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Twilio-compatible Messages API on loopback that records what arrives: {@code POST
 * /2010-04-01/Accounts/{sid}/Messages.json}, form-encoded {@code To}/{@code From}/{@code Body},
 * HTTP basic auth with the account SID and auth token it was made with (anything else is 401).
 * Answers 201 with a message {@code sid}, as the real API does.
 */
public final class FakeSmsProvider implements AutoCloseable {
  /** One message as the provider received it. */
  public record Sms(String to, String from, String body) {}

  private final String accountSid;
  private final String authToken;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final List<Sms> received = new ArrayList<>();
  private final HttpServer server;

  public FakeSmsProvider(String accountSid, String authToken) throws IOException {
    this.accountSid = accountSid;
    this.authToken = authToken;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(threads);
    server.createContext("/2010-04-01/Accounts/" + accountSid + "/Messages.json", this::handle);
    server.start();
  }

  /** The base URL to configure as the relay's upstream. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String expected = "Basic " + Base64.getEncoder()
          .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
      if (!"POST".equals(exchange.getRequestMethod())
          || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      int n;
      synchronized (this) {
        received.add(new Sms(form.get("To"), form.get("From"), form.get("Body")));
        n = received.size();
      }
      byte[] answer = ("{\"sid\":\"SM" + n + "\",\"status\":\"queued\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(201, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** Everything received so far, in arrival order. */
  public synchronized List<Sms> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  @Override
  public String toString() {
    return "FakeSmsProvider[" + baseUrl() + ", account " + accountSid + "]";
  }
}
