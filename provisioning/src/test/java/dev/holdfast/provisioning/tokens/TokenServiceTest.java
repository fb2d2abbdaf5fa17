package dev.holdfast.provisioning.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.provisioning.apikeys.ApiKeyService;
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

  @Test
  void enrollsADeviceFromATokenAndACsrWithTheProfilesLifetimeAndScopes() throws Exception {
    ApiKeyService keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(33));
    Enrollment enrollment = new Enrollment(tokens, pki.ca, keys, TestRandom.seeded(34));

    Enrollment.Result result = enrollment.enroll(oneToken(), Csrs.valid(pki.random), "bench");

    assertThat(result.certificate().leaf().getNotAfter().toInstant()).isEqualTo(pki.clock.instant().plus(Duration.ofDays(30)));
    Verification v = keys.verify(result.key().key().reveal());
    assertThat(v.valid()).isTrue();
    assertThat(v.key().orElseThrow().deviceId()).isEqualTo(result.certificate().deviceId());
  }

  @Test
  void doesNotSpendTheTokenWhenTheCsrIsRejected() throws Exception {
    ApiKeyService keys = ApiKeyService.open(pki.registry, pki.clock, TestRandom.seeded(35));
    Enrollment enrollment = new Enrollment(tokens, pki.ca, keys, TestRandom.seeded(36));
    String token = oneToken();

    assertThatThrownBy(() -> enrollment.enroll(token, Csrs.withoutProofOfPossession(pki.random), "bench"))
        .isInstanceOf(CsrRejectedException.class);
    assertThat(enrollment.enroll(token, Csrs.valid(pki.random), "bench").certificate()).isNotNull();
  }
}
