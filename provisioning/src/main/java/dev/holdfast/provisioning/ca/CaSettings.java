package dev.holdfast.provisioning.ca;

import dev.holdfast.provisioning.support.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the CA issues.
 *
 * @param deviceLifetime default lifetime of a device certificate ({@code ca.device-lifetime})
 * @param serverLifetime lifetime of the relay's TLS certificate ({@code ca.server-lifetime})
 * @param crlValidity how long a CRL is valid (its nextUpdate); refresh well before
 * @param crlPath where the CRL is rewritten after every revocation, if set ({@code ca.crl-path})
 */
public record CaSettings(Duration deviceLifetime, Duration serverLifetime, Duration crlValidity, Optional<Path> crlPath) {
  public static final Duration MAX_LEAF_LIFETIME = Duration.ofDays(825);

  public CaSettings {
    Checks.atMost(deviceLifetime, MAX_LEAF_LIFETIME, "ca.device-lifetime");
    Checks.atMost(serverLifetime, MAX_LEAF_LIFETIME, "ca.server-lifetime");
    Checks.atMost(crlValidity, Duration.ofDays(365), "ca.crl-validity");
    Checks.notNull(crlPath, "ca.crl-path");
  }

  public static CaSettings defaults() {
    return new CaSettings(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(7), Optional.empty());
  }
}
