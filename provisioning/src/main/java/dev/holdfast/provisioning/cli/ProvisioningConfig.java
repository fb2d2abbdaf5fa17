package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.relay.RelaySettings;
import dev.holdfast.provisioning.service.BrokerSettings;
import dev.holdfast.provisioning.support.Durations;
import dev.holdfast.provisioning.tokens.Profile;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/** The validated {@code provisioning.properties} of a data directory. */
public record ProvisioningConfig(String fleetName, CaSettings ca, Duration tokenTtl, Map<String, Profile> profiles,
    String relayListen, RelaySettings relay, BrokerSettings broker) {
  public static final String FILE = "provisioning.properties";

  public ProvisioningConfig {
    profiles = Map.copyOf(profiles);
  }

  public static ProvisioningConfig load(Path dir) throws ConfigException, IOException, dev.holdfast.vault.VaultException {
    Path file = dir.resolve(FILE);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new dev.holdfast.vault.VaultException(dev.holdfast.vault.VaultException.Reason.MISSING,
          "no " + FILE + " in " + dir + "; run 'holdfast-provisioning init --dir " + dir + "' first");
    }
    try {
      return parse(p);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": " + e.getMessage());
    }
  }

  static ProvisioningConfig parse(Properties p) {
    RelaySettings d = RelaySettings.defaults();
    CaSettings ca = new CaSettings(
        get(p, "ca.device-lifetime", Durations::parse, Duration.ofDays(30)),
        get(p, "ca.server-lifetime", Durations::parse, Duration.ofDays(90)),
        get(p, "ca.crl-validity", Durations::parse, Duration.ofDays(7)),
        Optional.ofNullable(blankToNull(p.getProperty("ca.crl-path"))).map(Path::of));
    Map<String, Profile> profiles = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("profile.") && name.endsWith(".scopes")) {
        String profile = name.substring("profile.".length(), name.length() - ".scopes".length());
        String prefix = "profile." + profile + ".";
        profiles.put(profile, new Profile(profile,
            get(p, prefix + "cert-lifetime", Durations::parse, ca.deviceLifetime()),
            get(p, prefix + "key-lifetime", Durations::parse, Duration.ofDays(90)),
            new LinkedHashSet<>(list(p.getProperty(name)))));
      }
    }
    RelaySettings.Upstream kind = get(p, "relay.upstream.kind", ProvisioningConfig::upstreamKind,
        RelaySettings.Upstream.TWILIO);
    URI upstreamUrl = kind == RelaySettings.Upstream.WEBHOOK
        ? get(p, "relay.upstream.webhook-url", URI::create, null)
        : get(p, "relay.upstream.base-url", URI::create, d.upstreamBaseUrl());
    if (upstreamUrl == null) {
      throw new IllegalArgumentException("relay.upstream.kind=webhook needs relay.upstream.webhook-url=https://...");
    }
    RelaySettings relay = new RelaySettings(
        get(p, "relay.server-names", ProvisioningConfig::list, d.serverNames()),
        get(p, "relay.max-body-bytes", Integer::parseInt, d.maxBodyBytes()),
        get(p, "relay.rate-limit.burst", Integer::parseInt, d.rateBurst()),
        get(p, "relay.rate-limit.per-minute", Integer::parseInt, d.ratePerMinute()),
        get(p, "relay.idempotency-window", Durations::parse, d.idempotencyWindow()),
        upstreamUrl,
        p.getProperty("relay.upstream.account-sid", "").trim(),
        p.getProperty("relay.upstream.from", "").trim(),
        get(p, "relay.upstream.timeout", Durations::parse, d.upstreamTimeout()),
        get(p, "relay.threads", Integer::parseInt, d.threads()),
        kind);
    return new ProvisioningConfig(p.getProperty("fleet.name", "Holdfast Fleet").trim(), ca,
        get(p, "tokens.default-ttl", Durations::parse, Duration.ofHours(24)), profiles,
        p.getProperty("relay.listen", "127.0.0.1:8443").trim(), relay,
        new BrokerSettings(Optional.ofNullable(blankToNull(p.getProperty("broker.mqtt-uri"))).map(String::trim),
            get(p, "broker.pid-file", Path::of, BrokerSettings.DEFAULT_PID_FILE)));
  }

  private static RelaySettings.Upstream upstreamKind(String v) {
    return switch (v) {
      case "twilio" -> RelaySettings.Upstream.TWILIO;
      case "webhook" -> RelaySettings.Upstream.WEBHOOK;
      default -> throw new IllegalArgumentException("must be 'twilio' or 'webhook', got '" + v + "'");
    };
  }

  private static <T> T get(Properties p, String name, Function<String, T> parse, T fallback) {
    String v = blankToNull(p.getProperty(name));
    if (v == null) {
      return fallback;
    }
    try {
      return parse.apply(v.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  static List<String> list(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  public Profile profile(String name) throws ConfigException {
    Profile p = profiles.get(name);
    if (p == null) {
      throw new ConfigException("no profile '" + name + "' in " + FILE + " (known: " + profiles.keySet()
          + "); add profile." + name + ".scopes=... and cert-lifetime/key-lifetime");
    }
    return p;
  }

  /** The file {@code init} writes: every setting, with its default, and what it does. */
  public static String initialText(String fleetName, List<String> serverNames, Optional<Path> crlPath) {
    return String.join("\n",
        "# Holdfast provisioning configuration. Secrets are NOT kept here: they are sealed in provisioning.db.",
        "fleet.name=" + fleetName,
        "",
        "# Device certificate lifetime unless a profile says otherwise; the relay's TLS certificate lifetime.",
        "ca.device-lifetime=30d",
        "ca.server-lifetime=90d",
        "# The CRL's validity (nextUpdate). A CRL past it makes Mosquitto reject every client: refresh well before.",
        "ca.crl-validity=7d",
        "# Where the CRL is rewritten after every revocation (Mosquitto's crlfile). Empty: only 'crl export'.",
        "ca.crl-path=" + crlPath.map(Path::toString).orElse(""),
        "",
        "tokens.default-ttl=24h",
        "",
        "# Profiles: what an enrolled device gets. Add more as profile.NAME.*",
        "profile.default.cert-lifetime=30d",
        "profile.default.key-lifetime=90d",
        "profile.default.scopes=messages:send,events:publish",
        "",
        "relay.listen=127.0.0.1:8443",
        "relay.server-names=" + String.join(",", serverNames),
        "relay.max-body-bytes=8192",
        "relay.rate-limit.burst=10",
        "relay.rate-limit.per-minute=60",
        "relay.idempotency-window=24h",
        "relay.threads=8",
        "# Where messages go: twilio (a Twilio-compatible SMS API) or webhook (JSON {to, body} to one URL).",
        "# The auth token (Twilio) or bearer token (webhook, optional) is sealed: 'relay set-auth-token'.",
        "relay.upstream.kind=twilio",
        "relay.upstream.webhook-url=",
        "relay.upstream.base-url=https://api.twilio.com",
        "relay.upstream.account-sid=",
        "relay.upstream.from=",
        "relay.upstream.timeout=10s",
        "",
        "# The fleet broker, for 'serve' (MQTT responder) and 'devices ping'. Empty: 'serve' runs the HTTPS API only.",
        "broker.mqtt-uri=",
        "# Mosquitto's pid file: after every CRL rewrite the broker is sent SIGHUP to re-read it (missing: a warning).",
        "broker.pid-file=" + BrokerSettings.DEFAULT_PID_FILE,
        "");
  }
}
