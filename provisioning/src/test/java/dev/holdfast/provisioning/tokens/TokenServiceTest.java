package dev.holdfast.provisioning.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.ca.CaException;
import dev.holdfast.provisioning.testing.BenchDevice;
import dev.holdfast.provisioning.apikeys.Verification;
import dev.holdfast.provisioning.ca.CsrRejectedException;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.TestPki;
import dev.holdfast.provisioning.testing.TestRandom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {
  @TempDir Path dir;
  TestPki pki;
  TokenService tokens;
  final Profile profile = Profile.defaults();

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(dir, 31);
    tokens = TokenService.open(pki.registry, pki.clock, TestRandom.seeded(32));
  }

  @AfterEach
  void tearDown() {
    pki.close();
  }

  String oneToken() throws Exception {
    return tokens.create(1, profile, Duration.ofHours(24), "test").get(0).token().reveal();
  }

  RedeemException.Reason refusal(String token) {
    try {
      tokens.redeem(token, "dev-x", "test");
      throw new AssertionError("redeemed");
    } catch (RedeemException e) {
      return e.reason();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void redeemsAValidTokenForItsProfile() throws Exception {
    String token = oneToken();

    Redemption r = tokens.redeem(token, "dev-a", "test");

    assertThat(token).matches("hfe_[0-9A-Za-z]{36}");
    assertThat(r.profile()).isEqualTo("default");
    assertThat(r.certLifetime()).isEqualTo(Duration.ofDays(30));
    assertThat(r.scopes()).containsExactlyInAnyOrder("messages:send", "events:publish");
    TokenRecord stored = pki.registry.read(tx -> tx.token(r.tokenId())).orElseThrow();
    assertThat(stored.state()).isEqualTo(TokenRecord.State.REDEEMED);
    assertThat(stored.redeemedBy()).contains("dev-a");
  }

  @Test
  void refusesATokenThatWasAlreadyRedeemed() throws Exception {
    String token = oneToken();
    tokens.redeem(token, "dev-a", "test");

    assertThat(refusal(token)).isEqualTo(RedeemException.Reason.ALREADY_REDEEMED);
  }

  @Test
  void refusesAnUnknownTokenEvenWithAValidChecksum() throws Exception {
    oneToken();
    assertThat(refusal(EnrollmentToken.FORMAT.generate(TestRandom.seeded(99)))).isEqualTo(RedeemException.Reason.UNKNOWN);
  }

  @Test
  void refusesAMistypedTokenAsMalformed() throws Exception {
    String token = oneToken();
    String typo = token.substring(0, 12) + (token.charAt(12) == 'q' ? 'r' : 'q') + token.substring(13);

    assertThat(refusal(typo)).isEqualTo(RedeemException.Reason.MALFORMED);
    assertThat(refusal("hello")).isEqualTo(RedeemException.Reason.MALFORMED);
  }

  @Test
  void refusesAnExpiredToken() throws Exception {
    String token = oneToken();
    pki.clock.advance(Duration.ofHours(24));

    assertThat(refusal(token)).isEqualTo(RedeemException.Reason.EXPIRED);
  }

  @Test
  void refusesARevokedToken() throws Exception {
    TokenService.Created created = tokens.create(1, profile, Duration.ofHours(24), "test").get(0);
    tokens.revoke(created.token().id(), "test");

    assertThat(refusal(created.token().reveal())).isEqualTo(RedeemException.Reason.REVOKED);
  }

  @Test
  void letsExactlyOneOfManyConcurrentRedemptionsOfOneTokenWin() throws Exception {
    String token = oneToken();
    int contenders = 8;
    ExecutorService pool = Executors.newFixedThreadPool(contenders);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> results = new ArrayList<>();
    try {
      for (int i = 0; i < contenders; i++) {
        String device = "dev-" + i;
        Callable<Object> attempt = () -> {
          start.await();
          try {
            return tokens.redeem(token, device, "test");
          } catch (RedeemException e) {
            return e.reason();
          }
        };
        results.add(pool.submit(attempt));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : results) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }

      assertThat(outcomes).filteredOn(o -> o instanceof Redemption).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o == RedeemException.Reason.ALREADY_REDEEMED).hasSize(contenders - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesCountsAndTtlsOutsideTheLimitsAndRevokingARedeemedToken() throws Exception {
    assertThatThrownBy(() -> tokens.create(0, profile, Duration.ofHours(1), "test")).isInstanceOf(TokenException.class);
    assertThatThrownBy(() -> tokens.create(1, profile, Duration.ofDays(31), "test")).isInstanceOf(TokenException.class);
    TokenService.Created created = tokens.create(1, profile, Duration.ofHours(24), "test").get(0);
    tokens.redeem(created.token().reveal(), "dev-a", "test");
    assertThatThrownBy(() -> tokens.revoke(created.token().id(), "test"))
        .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.reason()).isEqualTo(TokenException.Reason.POLICY));
  }

  List<dev.holdfast.provisioning.registry.Device> devices() throws Exception {
    return pki.registry.read(tx -> tx.devices());
  }

  List<dev.holdfast.provisioning.registry.ApiKeyRecord> apiKeys() throws Exception {
    return pki.registry.read(tx -> tx.apiKeys());
  }

  List<String> auditActions() throws Exception {
    return pki.registry.read(tx -> tx.auditEvents()).stream().map(e -> e.action()).toList();
  }

  Enrollment enrollment(long seed) throws Exception {
    ApiKeyService keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(seed));
    return new Enrollment(pki.registry, tokens, pki.ca, keys, pki.clock, TestRandom.seeded(seed + 1));
  }

  @Test
  void enrollsADeviceFromATokenAndACsrWithTheProfilesLifetimeAndScopes() throws Exception {
    ApiKeyService keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(33));
    Enrollment enrollment = enrollment(33);
    BenchDevice device = new BenchDevice(pki.random);

    EnrollResponse response = enrollment.enroll(device.request(oneToken()), "bench");

    assertThat(response.chain().get(0).getNotAfter().toInstant())
        .isEqualTo(pki.clock.instant().plus(Duration.ofDays(30)));
    assertThat(response.chain().get(0).getPublicKey()).isEqualTo(device.keys.getPublic());
    assertThat(response.deviceId()).matches("dev-[0-9a-z]{16}");
    assertThat(response.signedByIssuer()).isTrue();
    assertThat(response.commandKey()).isEqualTo(pki.ca.commandSigningPublicKey());
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

    EnrollResponse response = enrollment(37).enroll(device.request(oneToken()), "bench");

    assertThatThrownBy(() -> other.apiKey(response)).isInstanceOf(AuthenticationFailedException.class);
    assertThat(new String(response.apiKeySealed(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("hf_");
  }

  @Test
  void doesNotSpendTheTokenWhenTheCsrIsRejected() throws Exception {
    Enrollment enrollment = enrollment(35);
    String token = oneToken();
    EnrollRequest bad = new EnrollRequest(
        dev.holdfast.protocol.crypto.Secret.copyOf(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        Csrs.withoutProofOfPossession(pki.random));

    assertThatThrownBy(() -> enrollment.enroll(bad, "bench")).isInstanceOf(CsrRejectedException.class);
    assertThat(enrollment.enroll(new BenchDevice(pki.random).request(token), "bench").deviceId()).isNotBlank();
  }

  @Test
  void leavesNoDeviceAndAnUnusedTokenWhenIssuingFailsAfterTheTokenWasAccepted() throws Exception {
    pki.clock.advance(Duration.ofDays(10 * 365 - 10));
    String token = oneToken();
    Enrollment enrollment = enrollment(39);

    assertThatThrownBy(() -> enrollment.enroll(new BenchDevice(pki.random).request(token), "bench"))
        .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.getMessage()).contains("outlive the issuing CA"));

    assertThat(devices()).isEmpty();
    assertThat(apiKeys()).isEmpty();
    assertThat(tokens.list()).extracting(TokenRecord::state).containsExactly(TokenRecord.State.UNUSED);
  }

  @Test
  void refusesAReusedTokenWithoutMakingASecondDevice() throws Exception {
    Enrollment enrollment = enrollment(41);
    String token = oneToken();
    enrollment.enroll(new BenchDevice(pki.random).request(token), "bench");

    assertThatThrownBy(() -> enrollment.enroll(new BenchDevice(pki.random).request(token), "bench"))
        .isInstanceOfSatisfying(RedeemException.class,
            e -> assertThat(e.reason()).isEqualTo(RedeemException.Reason.ALREADY_REDEEMED));
    assertThat(devices()).hasSize(1);
    assertThat(auditActions()).contains("token.reuse-refused");
  }
}
