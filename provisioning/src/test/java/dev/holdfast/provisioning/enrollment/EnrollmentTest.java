package dev.holdfast.provisioning.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.apikeys.Verification;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.TestPki;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestTokens;
import dev.holdfast.provisioning.tokens.TokenService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentTest {
  @TempDir Path dir;
  TestPki pki;
  TokenService tokens;

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(dir, 31);
    tokens = TokenService.open(pki.registry, pki.clock, TestRandom.seeded(32));
  }

  @AfterEach
  void tearDown() {
    pki.close();
  }

  TokenService.Created created() throws Exception {
    return TestTokens.one(tokens);
  }

  String oneToken() throws Exception {
    return created().token().reveal();
  }

  List<Device> devices() throws Exception {
    return pki.registry.read(tx -> tx.devices().all());
  }

  List<ApiKeyRecord> apiKeys() throws Exception {
    return pki.registry.read(tx -> tx.apiKeys().all());
  }

  List<String> auditActions() throws Exception {
    return pki.registry.read(tx -> tx.audit().all()).stream().map(e -> e.action()).toList();
  }

  Enrollment enrollment(long seed) throws Exception {
    ApiKeyService keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(seed));
    return new Enrollment(pki.registry, tokens, pki.ca, pki.fleet::signEnrollResponse, keys, pki.clock,
        TestRandom.seeded(seed + 1));
  }

  static EnrollResponse enrolled(Enrollment enrollment, EnrollRequest request) throws Exception {
    return enrollment.enroll(request, "bench").orElseThrow(r -> new AssertionError(r.reason() + ": " + r.message()));
  }

  @Test
  void enrollsADeviceFromATokenAndACsrWithTheProfilesLifetimeAndScopes() throws Exception {
    ApiKeyService keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(33));
    Enrollment enrollment = enrollment(33);
    BenchDevice device = new BenchDevice(pki.random);

    EnrollResponse response = enrolled(enrollment, device.request(oneToken()));

    assertThat(response.chain().get(0).getNotAfter().toInstant())
        .isEqualTo(pki.clock.instant().plus(Duration.ofDays(30)));
    assertThat(response.chain().get(0).getPublicKey()).isEqualTo(device.keys.getPublic());
    assertThat(response.deviceId()).matches("dev-[0-9a-z]{16}");
    assertThat(response.signedByIssuer()).isTrue();
    assertThat(response.commandKey()).isEqualTo(pki.fleet.commandSigningPublicKey());
    assertThat(response.scopes()).containsExactly("events:publish", "messages:send");
    Verification v = keys.verify(device.apiKey(response));
    assertThat(v.valid()).isTrue();
    assertThat(v.key().orElseThrow().deviceId()).isEqualTo(response.deviceId());
    assertThat(v.key().orElseThrow().id()).isEqualTo(response.apiKeyId());
  }

  @Test
  void sealsTheApiKeySoThatNoOtherKeyCanOpenIt() throws Exception {
    BenchDevice device = new BenchDevice(pki.random);
    BenchDevice other = new BenchDevice(pki.random);

    EnrollResponse response = enrolled(enrollment(37), device.request(oneToken()));

    assertThatThrownBy(() -> other.apiKey(response)).isInstanceOf(AuthenticationFailedException.class);
    assertThat(new String(response.apiKeySealed(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("hf_");
  }

  @Test
  void doesNotSpendTheTokenWhenTheCsrIsRejected() throws Exception {
    Enrollment enrollment = enrollment(35);
    String token = oneToken();
    EnrollRequest bad = new EnrollRequest(Secret.copyOf(token.getBytes(StandardCharsets.UTF_8)),
        Csrs.withoutProofOfPossession(pki.random));

    assertThat(enrollment.enroll(bad, "bench").refusal()).contains(EnrollError.Code.CSR_REJECTED);
    assertThat(enrolled(enrollment, new BenchDevice(pki.random).request(token)).deviceId()).isNotBlank();
  }

  @Test
  void leavesNoDeviceAndAnUnusedTokenWhenIssuingFailsAfterTheTokenWasAccepted() throws Exception {
    pki.clock.advance(Duration.ofDays(10 * 365 - 10));
    TokenService.Created created = created();
    Enrollment enrollment = enrollment(39);

    var refused = enrollment.enroll(new BenchDevice(pki.random).request(created.token().reveal()), "bench");

    assertThat(refused.refusal()).contains(EnrollError.Code.INTERNAL);
    assertThat(Files.readString(Path.of("target/test-logs/provisioning-test.log")))
        .contains("the CA refused the certificate of token " + created.token().id() + ": a certificate valid until")
        .contains("would outlive the issuing CA");

    assertThat(devices()).isEmpty();
    assertThat(apiKeys()).isEmpty();
    assertThat(tokens.list()).extracting(TokenRecord::state).containsExactly(TokenRecord.State.UNUSED);
  }

  @Test
  void refusesAReusedTokenWithoutMakingASecondDevice() throws Exception {
    Enrollment enrollment = enrollment(41);
    String token = oneToken();
    enrolled(enrollment, new BenchDevice(pki.random).request(token));

    assertThat(enrollment.enroll(new BenchDevice(pki.random).request(token), "bench").refusal())
        .contains(EnrollError.Code.TOKEN_USED);
    assertThat(devices()).hasSize(1);
    assertThat(auditActions()).contains("token.reuse-refused");
  }
}
