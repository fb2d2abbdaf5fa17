package dev.holdfast.provisioning.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.provisioning.broker.BrokerReloader;
import dev.holdfast.provisioning.rotation.AnswerSigner;
import dev.holdfast.provisioning.rotation.RotationService;
import dev.holdfast.provisioning.rotation.RotationSettings;
import dev.holdfast.provisioning.support.RateLimiter;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.testing.HangupRecorder;
import dev.holdfast.provisioning.testing.RotatingDevice;
import dev.holdfast.provisioning.testing.TestRandom;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/recover} over real HTTPS on loopback, in front of the real rotation service. */
class RecoverApiTest {
  @TempDir Path dir;
  ApiFixture f;
  HangupRecorder broker;
  RotatingDevice device;

  @BeforeEach
  void enrollADeviceAndServeRecovery() throws Exception {
    f = new ApiFixture(dir.resolve("api"));
    broker = new HangupRecorder(dir);
    BrokerReloader reloader = new BrokerReloader(broker.pidFile);
    RotationService rotation = new RotationService(f.pki.registry, f.pki.ca, f.keys, AnswerSigner.of(f.pki.fleet),
        f.pki.batchedSync(reloader), RotationSettings.defaults(), f.pki.clock, TestRandom.seeded(97), step -> { });
    f.start(new ApiLimits(Duration.ofSeconds(10), 16, 3, 6),
        RecoverHandler.route(rotation::recover, new RateLimiter(f.pki.clock, 3, 6)));
    BenchDevice bench = new BenchDevice(TestRandom.seeded(98));
    HttpResponse<String> enrolled = f.enroll(bench, f.tokens(1).get(0));
    assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
    device = new RotatingDevice(EnrollResponse.parse(enrolled.body()).deviceId(), bench.keys, TestRandom.seeded(99));
  }

  @AfterEach
  void stop() {
    broker.close();
    f.close();
  }

  HttpResponse<String> recover(byte[] body) throws Exception {
    return f.post(RecoverHandler.PATH, EnrollRequest.CONTENT_TYPE, new String(body, StandardCharsets.UTF_8));
  }

  static Object error(HttpResponse<String> r) throws Exception {
    return ((Map<?, ?>) JsonParser.parse(r.body())).get("error");
  }

  @Test
  void anExpiredDeviceWithinTheWindowGets200AndTheSignedRenewedAnswer() throws Exception {
    f.pki.clock.advance(Duration.ofDays(31));

    HttpResponse<String> r = recover(device.renewBytes("r-https", f.pki.clock.instant()));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    ProvAnswer answer = ProvAnswer.parse(r.body().getBytes(StandardCharsets.UTF_8));
    assertThat(answer).isInstanceOf(RenewResponse.class);
    RenewResponse renewed = (RenewResponse) answer;
    assertThat(renewed.requestId()).isEqualTo("r-https");
    assertThat(r.body()).doesNotContain(device.apiKey(renewed));
  }

  @Test
  void eachRefusalHasTheProtocolsCodeAndAStatusThatSaysWhatKind() throws Exception {
    f.pki.clock.advance(Duration.ofDays(61));
    HttpResponse<String> closed = recover(device.renewBytes("r-late", f.pki.clock.instant()));
    HttpResponse<String> garbage = recover("not json".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> confirm = recover(device.confirmBytes("r-late", "0a", f.pki.clock.instant()));
    HttpResponse<String> text = f.post(RecoverHandler.PATH, "text/plain", "{}");

    assertThat(closed.statusCode()).isEqualTo(403);
    assertThat(error(closed)).isEqualTo("recovery_closed");
    assertThat(closed.body()).contains("new token");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(error(garbage)).isEqualTo("bad_request");
    assertThat(confirm.statusCode()).isEqualTo(400);
    assertThat(text.statusCode()).isEqualTo(400);
    assertThat(text.body()).contains("Content-Type must be application/json");
  }

  @Test
  void tooManyAttemptsFromOneAddressAre429WithRetryAfter() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(recover("{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
    }

    HttpResponse<String> limited = recover(device.renewBytes("r-1", f.pki.clock.instant()));

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("10");
    assertThat(error(limited)).isEqualTo("unavailable");
  }
}
