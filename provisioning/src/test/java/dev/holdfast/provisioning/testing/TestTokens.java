package dev.holdfast.provisioning.testing;

import dev.holdfast.provisioning.tokens.Profile;
import dev.holdfast.provisioning.tokens.TokenService;
import java.time.Duration;

/** Enrollment tokens for tests: one at a time, for the default profile, valid for 24 h. */
public final class TestTokens {
  private TestTokens() {}

  public static TokenService.Created one(TokenService tokens) throws Exception {
    return tokens.create(1, Profile.defaults(), Duration.ofHours(24), "test")
        .orElseThrow(r -> new AssertionError(r.message())).get(0);
  }
}
