package dev.holdfast.provisioning.relay;

import dev.holdfast.provisioning.api.ApiLimits;
import dev.holdfast.provisioning.support.RateLimiter;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.testing.FakeTwilio;
import dev.holdfast.provisioning.testing.FleetTrust;
import dev.holdfast.provisioning.testing.TestPki;
import dev.holdfast.provisioning.testing.TestRandom;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** A TLS relay on loopback in front of a {@link FakeTwilio}, with a CA, a device and its keys. */
final class RelayFixture implements AutoCloseable {
  static final String SID = "AC00000000000000000000000000000001";
  static final String AUTH_TOKEN = "twilio-auth-token-value-0123456789";

  final TestPki pki;
  final FakeTwilio twilio;
  final ApiKeyService keys;
  final RelaySettings settings;
  final HttpClient client;
  /** Where the relay keeps its idempotency log. */
  final Path logDir;
  RelayServer server;
  IdempotencyStore idempotency;

  RelayFixture(Path dir, RelaySettings base) throws Exception {
    pki = TestPki.createForTls(dir, 41);
    logDir = dir.resolve(IdempotencyStore.DIR);
    twilio = new FakeTwilio();
    keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(42));
    pki.registry.write(tx -> {
      tx.devices().put(Device.enrolled("dev-1", "default", pki.clock.instant()));
      return null;
    });
    settings = new RelaySettings(List.of("localhost", "127.0.0.1"), base.maxBodyBytes(), base.rateBurst(),
        base.ratePerMinute(), base.idempotencyWindow(), twilio.baseUrl(), SID, "+15550000000",
        Duration.ofSeconds(5), 4);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(pki)).build();
    start("relay-1");
  }

  void start(String owner) throws Exception {
    idempotency = IdempotencyStore.open(pki.registry, logDir, pki.clock, settings.idempotencyWindow(), owner,
        new java.security.SecureRandom());
    idempotency.start(r -> new Thread(r, "test-idempotency-" + owner));
    SmsSender sender = new TwilioSender(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
        settings, Secret.copyOf(AUTH_TOKEN.getBytes(StandardCharsets.UTF_8)), pki.clock);
    server = RelayServer.start(new InetSocketAddress("127.0.0.1", 0),
        Optional.of(pki.services.server("relay.tls", settings.serverNames(), "test")), settings, keys,
        idempotency, new RateLimiter(pki.clock, settings.rateBurst(), settings.ratePerMinute()), sender, ApiLimits.defaults(),
        TestRandom.seeded(43));
  }

  /** Simulates a relay restart: a new server and a new process identity over the same registry and log. */
  void restart(String owner) throws Exception {
    server.stop(0);
    idempotency.close();
    start(owner);
  }

  static SSLContext trusting(TestPki pki) throws Exception {
    return FleetTrust.trusting(pki.root(), TestRandom.seeded(44));
  }

  String key(String... scopes) throws Exception {
    return keys.create("dev-1", Set.of(scopes), Duration.ofDays(30), "test").ok().orElseThrow().key().reveal();
  }

  URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  HttpResponse<String> post(String apiKey, String idempotencyKey, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/messages"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.stop(0);
    idempotency.close();
    twilio.close();
    pki.close();
  }
}
