package dev.holdfast.provisioning.tokens;

import dev.holdfast.provisioning.apikeys.Scopes;
import dev.holdfast.provisioning.registry.Labels;
import dev.holdfast.provisioning.support.Checks;
import java.time.Duration;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What an enrolled device gets ({@code profile.NAME.*} in the config file).
 *
 * @param certLifetime {@code profile.NAME.cert-lifetime}
 * @param keyLifetime {@code profile.NAME.key-lifetime}
 * @param scopes {@code profile.NAME.scopes}, comma-separated
 * @param labels {@code profile.NAME.labels}, comma-separated (none by default): the labels a device
 *     enrolled with a token of this profile starts with
 */
public record Profile(String name, Duration certLifetime, Duration keyLifetime, Set<String> scopes,
    SortedSet<String> labels) {
  public Profile {
    Checks.notBlank(name, "profile name");
    if (!name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
      throw new IllegalArgumentException("profile name must be 1-32 of a-z, 0-9 and '-', got '" + name + "'");
    }
    Checks.atMost(certLifetime, Duration.ofDays(825), "profile." + name + ".cert-lifetime");
    Checks.positive(keyLifetime, "profile." + name + ".key-lifetime");
    try {
      scopes = Scopes.check(scopes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("profile." + name + ".scopes: " + e.getMessage());
    }
    try {
      labels = Labels.of(labels);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("profile." + name + ".labels: " + e.getMessage());
    }
  }

  public static Profile defaults() {
    return new Profile("default", Duration.ofDays(30), Duration.ofDays(90),
        Set.of(Scopes.MESSAGES_SEND, Scopes.EVENTS_PUBLISH), new TreeSet<>());
  }
}
