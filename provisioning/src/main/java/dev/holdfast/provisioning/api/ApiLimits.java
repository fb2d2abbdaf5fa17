package dev.holdfast.provisioning.api;

import dev.holdfast.provisioning.support.Checks;
import java.time.Duration;

/**
 * What one client may take of the API server ({@code api.*} in the config file).
 *
 * @param readTimeout a connection must deliver a whole request, headers and body, within this of
 *     opening or of its previous response, or it is closed ({@code api.read-timeout})
 * @param connectionsPerSource open connections one source address may hold; more are closed at
 *     once ({@code api.max-connections-per-source})
 * @param enrollBurst enrollment attempts one source address may make at once ({@code
 *     api.enroll-rate-limit.burst})
 * @param enrollPerMinute and the rate they come back at ({@code api.enroll-rate-limit.per-minute})
 */
public record ApiLimits(Duration readTimeout, int connectionsPerSource, int enrollBurst, int enrollPerMinute) {
  public ApiLimits {
    Checks.positive(readTimeout, "api.read-timeout");
    Checks.atMost(readTimeout, Duration.ofMinutes(10), "api.read-timeout");
    Checks.inRange(connectionsPerSource, 1, 100_000, "api.max-connections-per-source");
    Checks.inRange(enrollBurst, 1, 100_000, "api.enroll-rate-limit.burst");
    Checks.inRange(enrollPerMinute, 1, 1_000_000, "api.enroll-rate-limit.per-minute");
  }

  /** 10 s to send a request, 16 connections and 10 enrollments at once per address, then 30 a minute. */
  public static ApiLimits defaults() {
    return new ApiLimits(Duration.ofSeconds(10), 16, 10, 30);
  }
}
