package dev.holdfast.bench.enrollment;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.api.ApiLimits;
import dev.holdfast.provisioning.api.ApiServer;
import dev.holdfast.provisioning.api.EnrollHandler;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.DefaultCertificateAuthority;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.enrollment.Enrollment;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.support.RateLimiter;
import dev.holdfast.provisioning.tokens.Profile;
import dev.holdfast.provisioning.tokens.TokenService;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The provisioning side, in process: a vault-backed registry and fleet CA in a temp directory
 * (the code {@code holdfast-provisioning serve} runs), the API server with {@code POST /v1/enroll},
 * and the baseline: the same {@link ApiServer}, TLS context and thread count answering a constant 200.
 */
final class Fleet implements AutoCloseable {
  static final String CONSTANT = "{\"status\":\"ok\"}";
  final Path dir;
  final Clock clock = Clock.systemUTC();
  final SecureRandom random = new SecureRandom();
  final CountingRegistry registry;
  final FleetCa fleet;
  final CertificateAuthority ca;
  final ServiceCredentials services;
  final TokenService tokens;
  final Enrollment enrollment;
  private final ApiServer api;
  private final ApiServer constant;

  Fleet(int threads) throws Exception {
    dir = Files.createTempDirectory("holdfast-bench-enroll-");
    byte[] key = new byte[32];
    random.nextBytes(key);
    registry = new CountingRegistry(new MapDbRegistry(Vault.create(dir.resolve("provisioning.db"),
        MasterKeySource.ofKey(Secret.wrap(key), "bench key"), random)));
    FleetCa.initialize(registry, "Bench Fleet", clock, random, "bench").ok().orElseThrow();
    fleet = FleetCa.load(registry, random).ok().orElseThrow();
    ca = new DefaultCertificateAuthority(fleet, CaSettings.defaults(), clock);
    services = new ServiceCredentials(registry, fleet, CaSettings.defaults(), clock, random);
    tokens = TokenService.open(registry, clock, random);
    ApiKeyService keys = ApiKeyService.open(registry, clock, random);
    enrollment = new Enrollment(registry, tokens, ca, fleet::signEnrollResponse, keys, clock, random);
    ServerCredentials tls = services.server("api.tls", List.of("localhost", "127.0.0.1"), "bench");
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    // A benchmark is one address making every request: no per-source limit may shape its figures.
    ApiLimits unlimited = new ApiLimits(Duration.ofMinutes(1), 100_000, 100_000, 1_000_000);
    api = ApiServer.start(loopback, Optional.of(tls), List.of(EnrollHandler.route(enrollment,
        new RateLimiter(clock, unlimited.enrollBurst(), unlimited.enrollPerMinute()))), unlimited, threads, random);
    byte[] ok = CONSTANT.getBytes(StandardCharsets.US_ASCII);
    constant = ApiServer.start(loopback, Optional.of(tls), List.of(new ApiServer.Route(EnrollHandler.PATH, exchange -> {
      try (exchange; OutputStream out = exchange.getResponseBody()) {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, ok.length);
        out.write(ok);
      }
    })), unlimited, threads, random);
  }

  /** The enrollment server's base URL, by the name in its certificate. */
  URI server() {
    return URI.create("https://localhost:" + api.port());
  }

  /** The baseline server's base URL. */
  URI constantServer() {
    return URI.create("https://localhost:" + constant.port());
  }

  X509Certificate root() {
    return fleet.root();
  }

  /** {@code count} fresh single-use tokens with the default profile, as plaintext. */
  List<Secret> tokens(int count) throws Exception {
    List<Secret> out = new ArrayList<>();
    for (int left = count; left > 0; left -= TokenService.MAX_COUNT) {
      for (TokenService.Created c : tokens.create(Math.min(left, TokenService.MAX_COUNT), Profile.defaults(),
          Duration.ofHours(1), "bench").ok().orElseThrow()) {
        out.add(Secret.copyOf(c.token().asciiBytes()));
        c.token().destroy();
      }
    }
    return out;
  }

  @Override
  public void close() {
    api.stop(0);
    constant.stop(0);
    registry.close();
    TempDirs.delete(dir);
  }
}
