package dev.holdfast.provisioning.rotation;

import dev.holdfast.provisioning.support.Checks;
import java.time.Duration;

/**
 * How rotations are served.
 *
 * @param keyGrace how long the old API key keeps working after the device confirmed
 *     ({@code rotation.key-grace}; 0: 401 at once)
 * @param maxSkew how far a new renew request's time may be from the service's clock
 *     ({@code rotation.max-skew}): an old captured request is refused as stale
 */
public record RotationSettings(Duration keyGrace, Duration maxSkew) {
  public RotationSettings {
    Checks.notNull(keyGrace, "rotation.key-grace");
    if (keyGrace.isNegative()) {
      throw new IllegalArgumentException("rotation.key-grace must be 0s or more, got " + keyGrace);
    }
    Checks.positive(maxSkew, "rotation.max-skew");
    Checks.atMost(maxSkew, Duration.ofDays(1), "rotation.max-skew");
  }

  public static RotationSettings defaults() {
    return new RotationSettings(Duration.ZERO, Duration.ofMinutes(10));
  }
}
