package dev.holdfast.common.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.holdfast.protocol.crypto.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on loopback that records what it gets and answers as told. */
class TwilioClientTest {
  static final String SID = "AC00000000000000000000000000000001";
  static final String TOKEN = "auth-token-0123456789";
  static final TwilioClient.Message MESSAGE = new TwilioClient.Message("+15551234567", "+15550000000", "door & \"gate\"");

  record Got(String method, String path, Map<String, String> headers, String body) {}

  record Answer(int status, String body, String retryAfter) {}

  final List<Got> got = new CopyOnWriteArrayList<>();
  final AtomicReference<Answer> answer = new AtomicReference<>(new Answer(201, "{\"sid\":\"SM123\"}", null));
  final HttpServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  TwilioClientTest() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.createContext("/", exchange -> {
      try (exchange) {
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        got.add(new Got(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers,
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Answer a = answer.get();
        if (a.retryAfter() != null) {
          exchange.getResponseHeaders().set("Retry-After", a.retryAfter());
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(a.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  URI base(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  TwilioClient client(String basePath) {
    return new TwilioClient(http, base(basePath), SID, Duration.ofSeconds(5));
  }

  static Secret token() {
    return Secret.copyOf(TOKEN.getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> form(String body) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void postsTheFormWithBasicAuthUnderTheBasePathAndKeepsTheSid() {
    TwilioClient.Reply reply = client("/twilio/").send(MESSAGE, token(), Map.of("Idempotency-Key", "k-1"));

    assertThat(reply).isEqualTo(new TwilioClient.Answered(201, java.util.Optional.empty(),
        java.util.Optional.of("SM123"), java.util.Optional.empty()));
    Got g = got.get(0);
    assertThat(g.method()).isEqualTo("POST");
    assertThat(g.path()).isEqualTo("/twilio/2010-04-01/Accounts/" + SID + "/Messages.json");
    assertThat(form(g.body())).isEqualTo(Map.of("To", "+15551234567", "From", "+15550000000", "Body",
        "door & \"gate\""));
    assertThat(g.headers().get("authorization")).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
    assertThat(g.headers()).containsEntry("content-type", "application/x-www-form-urlencoded")
        .containsEntry("idempotency-key", "k-1");
  }

  @Test
  void reportsARefusalWithItsStatusRetryAfterAndTwilioCodeButNothingElseOfTheBody() {
    answer.set(new Answer(429, "{\"code\":20429,\"message\":\"to +15551234567: too many\"}", "Thu, 01 Jan 2099 00:00:00 GMT"));

    TwilioClient.Reply reply = client("").send(MESSAGE, token(), Map.of());

    assertThat(reply).isEqualTo(new TwilioClient.Answered(429, java.util.Optional.of("Thu, 01 Jan 2099 00:00:00 GMT"),
        java.util.Optional.empty(), java.util.Optional.of("20429")));
    assertThat(reply.toString()).doesNotContain("+15551234567");
  }

  @Test
  void aServerThatIsNotThereIsNoAnswer() {
    TwilioClient c = client("");
    server.stop(0);

    assertThat(c.send(MESSAGE, token(), Map.of())).isInstanceOf(TwilioClient.NoAnswer.class);
  }

  @Test
  void leavesTheCallersTokenUsableAndNeverPrintsIt() {
    Secret t = token();
    TwilioClient c = client("");
    c.send(MESSAGE, t, Map.of());
    c.send(MESSAGE, t, Map.of());

    assertThat(got).hasSize(2);
    assertThat(got.get(1).headers().get("authorization")).isEqualTo(got.get(0).headers().get("authorization"));
    assertThat(c.toString()).doesNotContain(TOKEN);
    assertThat(MESSAGE.toString()).doesNotContain("+15551234567").doesNotContain("gate");
  }
}
