package dev.holdfast.provisioning.tokens;

import java.time.Duration;
import java.util.Set;

/** A successfully redeemed token: what the new device is entitled to. */
public record Redemption(String tokenId, String deviceId, String profile, Duration certLifetime,
    Duration keyLifetime, Set<String> scopes) {
  public Redemption {
    scopes = Set.copyOf(scopes);
  }
}
