package dev.holdfast.provisioning.api;

import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.enrollment.Enrollment;
import dev.holdfast.provisioning.support.RateLimiter;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.testing.FleetTrust;
import dev.holdfast.provisioning.testing.TestPki;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.tokens.Profile;
import dev.holdfast.provisioning.tokens.TokenService;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** The enrollment API over real HTTPS on loopback, and a client that trusts only the fleet root. */
final class ApiFixture implements AutoCloseable {
  final TestPki pki;
  final TokenService tokens;
  final ApiKeyService keys;
  final Enrollment enrollment;
  final SSLContext trust;
  final HttpClient client;
  /** Every token and API key plaintext handed out, for the tests that grep for them. */
  final List<String> plaintexts = new ArrayList<>();
  ApiServer server;

  ApiFixture(Path dir) throws Exception {
    pki = TestPki.createForTls(dir, 91);
    tokens = TokenService.open(pki.registry, pki.clock, TestRandom.seeded(92));
    keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(93));
    enrollment = new Enrollment(pki.registry, tokens, pki.ca, pki.fleet::signEnrollResponse, keys, pki.clock,
        TestRandom.seeded(94));
    trust = FleetTrust.trusting(pki.root(), TestRandom.seeded(96));
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trust).build();
    start(ApiLimits.defaults());
  }

  /**
   * (Re)starts the server with {@code limits}, serving enrollment and the {@code more} routes; the
   * enroll rate limit runs on the fixture's clock.
   */
  void start(ApiLimits limits, ApiServer.Route... more) throws Exception {
    if (server != null) {
      server.stop(0);
    }
    List<ApiServer.Route> routes = new ArrayList<>(List.of(EnrollHandler.route(enrollment,
        new RateLimiter(pki.clock, limits.enrollBurst(), limits.enrollPerMinute()))));
    routes.addAll(List.of(more));
    server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0),
        Optional.of(pki.services.server("api.tls", List.of("localhost"), "test")), routes, limits, 8,
        TestRandom.seeded(95));
  }

  List<String> tokens(int n) throws Exception {
    List<String> out = tokens.create(n, Profile.defaults(), Duration.ofHours(1), "test").ok().orElseThrow().stream()
        .map(c -> c.token().reveal()).toList();
    plaintexts.addAll(out);
    return out;
  }

  HttpResponse<String> post(String contentType, String body) throws Exception {
    return post(EnrollHandler.PATH, contentType, body);
  }

  HttpResponse<String> post(String path, String contentType, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> enroll(BenchDevice device, String token) throws Exception {
    return post(EnrollRequest.CONTENT_TYPE, device.requestJson(token));
  }

  @Override
  public void close() {
    server.stop(0);
    pki.close();
  }
}
