package dev.holdfast.agent.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.holdfast.protocol.messages.EnrollRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A real HTTPS server on loopback playing the provisioning API's {@code POST /v1/enroll}: each
 * request is parsed as an {@link EnrollRequest} and handed to the test's {@link Handler}.
 */
public final class EnrollServer implements AutoCloseable {
  /** One answer: HTTP status and JSON body. */
  public record Answer(int status, String body) {}

  /** The test's side of the exchange. */
  @FunctionalInterface
  public interface Handler {
    Answer handle(EnrollRequest request) throws Exception;
  }

  private final HttpsServer server;
  public final List<EnrollRequest> requests = new CopyOnWriteArrayList<>();
  private volatile Handler handler;

  public EnrollServer(SSLContext tls, Handler handler) throws IOException {
    this.handler = handler;
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/v1/enroll", exchange -> {
      Answer answer;
      try {
        EnrollRequest request = EnrollRequest.parse(
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(request);
        answer = this.handler.handle(request);
      } catch (Exception e) {
        answer = new Answer(500, "{\"v\":1,\"error\":\"internal\",\"message\":\"test handler: " + e + "\"}");
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  public void handler(Handler h) {
    this.handler = h;
  }

  /** https://127.0.0.1:PORT */
  public String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
