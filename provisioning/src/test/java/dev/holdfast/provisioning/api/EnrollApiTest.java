package dev.holdfast.provisioning.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.enrollment.Enrollment;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.support.RateLimiter;
import dev.holdfast.provisioning.testing.TestPki;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.tokens.EnrollmentToken;
import dev.holdfast.provisioning.tokens.Profile;
import dev.holdfast.provisioning.tokens.TokenService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/enroll} over real HTTPS on loopback, with a client that trusts only the fleet root. */
class EnrollApiTest {
  @TempDir Path dir;
  ApiFixture f;
  TestPki pki;
  TokenService tokens;
  ApiKeyService keys;
  List<String> plaintexts;

  @BeforeEach
  void setUp() throws Exception {
    f = new ApiFixture(dir.resolve("data"));
    pki = f.pki;
    tokens = f.tokens;
    keys = f.keys;
    plaintexts = f.plaintexts;
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  List<String> tokens(int n) throws Exception {
    return f.tokens(n);
  }

  HttpResponse<String> post(String contentType, String body) throws Exception {
    return f.post(contentType, body);
  }

  HttpResponse<String> enroll(BenchDevice device, String token) throws Exception {
    return f.enroll(device, token);
  }

  static EnrollError.Code code(HttpResponse<String> r) throws Exception {
    EnrollError e = EnrollError.parse(r.body());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(e.code().status);
    return e.code();
  }

  @Test
  void enrollsADeviceAndAnswersWithASignedResponseWhoseKeyOnlyTheDeviceCanOpen() throws Exception {
    BenchDevice device = new BenchDevice(pki.random);

    HttpResponse<String> r = enroll(device, tokens(1).get(0));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    EnrollResponse response = EnrollResponse.parse(r.body());
    assertThat(response.signedByIssuer()).isTrue();
    assertThat(response.chain().get(2)).isEqualTo(pki.root());
    assertThat(response.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=" + response.deviceId());
    String apiKey = device.apiKey(response);
    plaintexts.add(apiKey);
    assertThat(keys.verify(apiKey).valid()).isTrue();
    assertThat(r.body()).doesNotContain(apiKey);
  }

  @Test
  void answersEveryTokenProblemWithItsOwnCodeAndStatus() throws Exception {
    List<String> t = tokens(4);
    BenchDevice device = new BenchDevice(pki.random);
    assertThat(enroll(device, t.get(0)).statusCode()).isEqualTo(200);
    tokens.revoke(EnrollmentToken.FORMAT.idOf(t.get(1)), "test").ok().orElseThrow();
    String typo = t.get(2).substring(0, 10) + (t.get(2).charAt(10) == 'a' ? 'b' : 'a') + t.get(2).substring(11);

    assertThat(code(enroll(device, t.get(0)))).isEqualTo(EnrollError.Code.TOKEN_USED);
    assertThat(code(enroll(device, t.get(1)))).isEqualTo(EnrollError.Code.TOKEN_REVOKED);
    assertThat(code(enroll(device, typo))).isEqualTo(EnrollError.Code.TOKEN_MALFORMED);
    assertThat(code(enroll(device, EnrollmentToken.FORMAT.generate(new java.util.Random(5)))))
        .isEqualTo(EnrollError.Code.TOKEN_UNKNOWN);
    pki.clock.advance(Duration.ofHours(2));
    assertThat(code(enroll(device, t.get(3)))).isEqualTo(EnrollError.Code.TOKEN_EXPIRED);
  }

  @Test
  void refusesABadCsrWithoutSpendingTheToken() throws Exception {
    String token = tokens(1).get(0);
    String bad = new EnrollRequest(dev.holdfast.protocol.crypto.Secret.copyOf(token.getBytes(StandardCharsets.UTF_8)),
        Csrs.withKeyOnP384(pki.random)).toJson();

    HttpResponse<String> refused = post(EnrollRequest.CONTENT_TYPE, bad);

    assertThat(code(refused)).isEqualTo(EnrollError.Code.CSR_REJECTED);
    assertThat(EnrollError.parse(refused.body()).message()).contains("P-256").contains("not spent");
    assertThat(enroll(new BenchDevice(pki.random), token).statusCode()).isEqualTo(200);
  }

  @Test
  void refusesMalformedOversizedAndNonJsonRequests() throws Exception {
    String token = tokens(1).get(0);
    BenchDevice device = new BenchDevice(pki.random);

    assertThat(code(post(EnrollRequest.CONTENT_TYPE, "{not json"))).isEqualTo(EnrollError.Code.BAD_REQUEST);
    assertThat(code(post(EnrollRequest.CONTENT_TYPE, "{\"v\":1,\"token\":\"" + token + "\"}")))
        .isEqualTo(EnrollError.Code.BAD_REQUEST);
    assertThat(code(post("text/plain", device.requestJson(token)))).isEqualTo(EnrollError.Code.BAD_REQUEST);
    assertThat(code(post(EnrollRequest.CONTENT_TYPE, " ".repeat(EnrollRequest.MAX_BYTES + 1))))
        .isEqualTo(EnrollError.Code.TOO_LARGE);
    HttpResponse<String> get = f.client.send(HttpRequest.newBuilder(
        URI.create("https://localhost:" + f.server.port() + EnrollHandler.PATH)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(post("application/json; charset=utf-8", device.requestJson(token)).statusCode())
        .as("the token survived every refusal").isEqualTo(200);
  }

  @Test
  void enrollsTenDevicesAtOnceWithDistinctIds() throws Exception {
    List<String> t = tokens(10);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    List<BenchDevice> devices = new ArrayList<>();
    for (String token : t) {
      BenchDevice d = new BenchDevice(pki.random);
      devices.add(d);
      sent.add(f.client.sendAsync(HttpRequest.newBuilder(
          URI.create("https://localhost:" + f.server.port() + EnrollHandler.PATH))
          .header("Content-Type", EnrollRequest.CONTENT_TYPE)
          .POST(HttpRequest.BodyPublishers.ofString(d.requestJson(token))).build(),
          HttpResponse.BodyHandlers.ofString()));
    }

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < sent.size(); i++) {
      HttpResponse<String> r = sent.get(i).get();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      EnrollResponse response = EnrollResponse.parse(r.body());
      ids.add(response.deviceId());
      assertThat(keys.verify(devices.get(i).apiKey(response)).valid()).isTrue();
    }
    assertThat(ids).hasSize(10);
    assertThat(pki.registry.read(tx -> tx.devices().all()).stream().map(Device::id).toList())
        .containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void tooManyAttemptsFromOneAddressAre429WithRetryAfterUntilItsBucketRefills() throws Exception {
    f.start(new ApiLimits(Duration.ofSeconds(10), 16, 2, 6));
    BenchDevice device = new BenchDevice(pki.random);
    String token = tokens(1).get(0);
    String guess = EnrollmentToken.FORMAT.generate(new java.util.Random(7));
    assertThat(code(enroll(device, guess))).isEqualTo(EnrollError.Code.TOKEN_UNKNOWN);
    assertThat(code(enroll(device, guess))).isEqualTo(EnrollError.Code.TOKEN_UNKNOWN);

    HttpResponse<String> limited = enroll(device, token);

    assertThat(code(limited)).isEqualTo(EnrollError.Code.RATE_LIMITED);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("10");
    assertThat(EnrollError.parse(limited.body()).message()).contains("retry in 10 s").doesNotContain(token);
    pki.clock.advance(Duration.ofSeconds(10));
    assertThat(enroll(device, token).statusCode()).as("the token was not spent by the refusal").isEqualTo(200);
  }

  @Test
  void writesNoTokenOrApiKeyPlaintextToTheDataDirectoryOrTheLog() throws Exception {
    BenchDevice device = new BenchDevice(pki.random);
    List<String> t = tokens(2);
    EnrollResponse response = EnrollResponse.parse(enroll(device, t.get(0)).body());
    plaintexts.add(device.apiKey(response));
    code(enroll(device, t.get(0)));
    code(enroll(device, t.get(1).substring(0, 20)));


    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    Path log = Path.of("target/test-logs/provisioning-test.log");
    assertThat(log).exists();
    files.add(log);
    for (Path f : files) {
      String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String secret : plaintexts) {
        assertThat(content).as(f.toString()).doesNotContain(secret).doesNotContain(secret.substring(0, 24));
      }
    }
  }
}
