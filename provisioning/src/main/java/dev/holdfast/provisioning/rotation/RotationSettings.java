package dev.holdfast.provisioning.rotation;

import dev.holdfast.common.time.Durations;
import dev.holdfast.provisioning.support.Checks;
import java.time.Duration;

/**
 * How rotations are served.
 *
 * @param keyGrace how long the old API key keeps working after the device confirmed
 *     ({@code rotation.key-grace}; 0: 401 at once)
 * @param maxSkew how far a new renew request's time may be from the service's clock
 *     ({@code rotation.max-skew}): an old captured request is refused as stale
 * @param recoveryWindow how long after its certificate expired a device may still recover over
 *     HTTPS ({@code rotation.recovery-window}; {@code POST /v1/recover}, signed by its last key);
 *     0: never, an expired device always needs a new token
 */
public record RotationSettings(Duration keyGrace, Duration maxSkew, Duration recoveryWindow) {
  public RotationSettings {
    Checks.notNull(keyGrace, "rotation.key-grace");
    if (keyGrace.isNegative()) {
      throw new IllegalArgumentException("rotation.key-grace must be 0s or more, got " + keyGrace);
    }
    Checks.positive(maxSkew, "rotation.max-skew");
    Checks.atMost(maxSkew, Duration.ofDays(1), "rotation.max-skew");
    Checks.notNull(recoveryWindow, "rotation.recovery-window");
    if (recoveryWindow.isNegative() || recoveryWindow.compareTo(Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException("rotation.recovery-window must be between 0s and 365d, got "
          + Durations.format(recoveryWindow));
    }
  }

  public static RotationSettings defaults() {
    return new RotationSettings(Duration.ZERO, Duration.ofMinutes(10), Duration.ofDays(30));
  }
}
