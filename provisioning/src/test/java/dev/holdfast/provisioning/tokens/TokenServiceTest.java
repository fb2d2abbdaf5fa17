package dev.holdfast.provisioning.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.Result;
import dev.holdfast.provisioning.registry.TokenRecord;
import dev.holdfast.provisioning.testing.TestPki;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestTokens;
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

  TokenService.Created created() throws Exception {
    return TestTokens.one(tokens);
  }

  String oneToken() throws Exception {
    return created().token().reveal();
  }

  RedeemRefusal refusal(String token) throws Exception {
    return tokens.redeem(token, "dev-x", "test").refusal().orElseThrow(() -> new AssertionError("redeemed"));
  }

  @Test
  void redeemsAValidTokenForItsProfile() throws Exception {
    String token = oneToken();

    Redemption r = tokens.redeem(token, "dev-a", "test").ok().orElseThrow();

    assertThat(token).matches("hfe_[0-9A-Za-z]{36}");
    assertThat(r.profile()).isEqualTo("default");
    assertThat(r.certLifetime()).isEqualTo(Duration.ofDays(30));
    assertThat(r.scopes()).containsExactlyInAnyOrder("messages:send", "events:publish");
    TokenRecord stored = pki.registry.read(tx -> tx.tokens().find(r.tokenId())).orElseThrow();
    assertThat(stored.state()).isEqualTo(TokenRecord.State.REDEEMED);
    assertThat(stored.redeemedBy()).contains("dev-a");
  }

  @Test
  void refusesATokenThatWasAlreadyRedeemed() throws Exception {
    String token = oneToken();
    tokens.redeem(token, "dev-a", "test").ok().orElseThrow();

    assertThat(refusal(token)).isEqualTo(RedeemRefusal.ALREADY_REDEEMED);
    var audit = pki.registry.read(tx -> tx.audit().all());
    assertThat(audit).extracting(e -> e.action()).contains("token.reuse-refused");
  }

  @Test
  void refusesAnUnknownTokenEvenWithAValidChecksum() throws Exception {
    oneToken();
    assertThat(refusal(EnrollmentToken.FORMAT.generate(TestRandom.seeded(99)))).isEqualTo(RedeemRefusal.UNKNOWN);
  }

  @Test
  void refusesAMistypedTokenAsMalformed() throws Exception {
    String token = oneToken();
    String typo = token.substring(0, 12) + (token.charAt(12) == 'q' ? 'r' : 'q') + token.substring(13);

    assertThat(refusal(typo)).isEqualTo(RedeemRefusal.MALFORMED);
    assertThat(refusal("hello")).isEqualTo(RedeemRefusal.MALFORMED);
  }

  @Test
  void refusesAnExpiredToken() throws Exception {
    String token = oneToken();
    pki.clock.advance(Duration.ofHours(24));

    assertThat(refusal(token)).isEqualTo(RedeemRefusal.EXPIRED);
  }

  @Test
  void refusesARevokedToken() throws Exception {
    TokenService.Created created = created();
    tokens.revoke(created.token().id(), "test").ok().orElseThrow();

    assertThat(refusal(created.token().reveal())).isEqualTo(RedeemRefusal.REVOKED);
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
          Result<Redemption, RedeemRefusal> r = tokens.redeem(token, device, "test");
          return r.isOk() ? r.ok().orElseThrow() : r.refusal().orElseThrow();
        };
        results.add(pool.submit(attempt));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : results) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }

      assertThat(outcomes).filteredOn(o -> o instanceof Redemption).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o == RedeemRefusal.ALREADY_REDEEMED).hasSize(contenders - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesCountsAndTtlsOutsideTheLimitsAndRevokingARedeemedToken() throws Exception {
    assertThat(tokens.create(0, profile, Duration.ofHours(1), "test").refusal()).contains(TokenRefusal.LIMITS);
    assertThat(tokens.create(1, profile, Duration.ofDays(31), "test").refusal()).contains(TokenRefusal.LIMITS);
    TokenService.Created created = created();
    tokens.redeem(created.token().reveal(), "dev-a", "test").ok().orElseThrow();
    assertThat(tokens.revoke(created.token().id(), "test").refusal()).contains(TokenRefusal.ALREADY_REDEEMED);
    assertThat(tokens.revoke("Nosuch12", "test").refusal()).contains(TokenRefusal.UNKNOWN_TOKEN);
    assertThat(tokens.list()).hasSize(1);
  }
}
