package dev.holdfast.provisioning.cli;

import dev.holdfast.common.config.ConfigException;
import dev.holdfast.common.config.ConfigFile;
import dev.holdfast.common.config.KnownKeys;
import dev.holdfast.common.time.Durations;
import dev.holdfast.provisioning.api.ApiLimits;
import dev.holdfast.provisioning.broker.BrokerSettings;
import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.relay.RelaySettings;
import dev.holdfast.provisioning.rotation.RotationSettings;
import dev.holdfast.provisioning.tokens.Profile;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The validated {@code provisioning.properties} of a data directory, in the configuration file
 * format both programs share ({@link ConfigFile}): an unknown key is refused with the closest known
 * one, a key given twice is refused, and every error names the line.
 */
public record ProvisioningConfig(String fleetName, CaSettings ca, Duration tokenTtl, Map<String, Profile> profiles,
    String relayListen, RelaySettings relay, BrokerSettings broker, RotationSettings rotation, ApiLimits api,
    Optional<String> adminListen) {
  /** Where {@code serve} listens for operators' commands (mutual TLS) unless {@code admin.listen} says otherwise. */
  public static final String DEFAULT_ADMIN_LISTEN = "127.0.0.1:8444";

  public static final String FILE = "provisioning.properties";
  /** Every key {@link #initialText} writes, and {@code profile.NAME.*}. */
  static final KnownKeys KEYS = KnownKeys.of(List.of("fleet.name", "ca.device-lifetime", "ca.server-lifetime",
      "ca.crl-validity", "ca.crl-path", "tokens.default-ttl", "relay.listen", "relay.server-names",
      "relay.max-body-bytes", "relay.rate-limit.burst", "relay.rate-limit.per-minute", "relay.idempotency-window",
      "relay.threads", "relay.upstream.kind", "relay.upstream.webhook-url", "relay.upstream.base-url",
      "relay.upstream.account-sid", "relay.upstream.from", "relay.upstream.timeout", "broker.mqtt-uri",
      "broker.pid-file", "broker.acl-path", "rotation.key-grace", "rotation.max-skew",
      "rotation.recovery-window", "api.read-timeout",
      "api.max-connections-per-source", "api.enroll-rate-limit.burst", "api.enroll-rate-limit.per-minute", "admin.listen"),
      "docs/provisioning.md")
      .withFamily("profile.", Set.of("cert-lifetime", "key-lifetime", "scopes", "labels"));

  public ProvisioningConfig {
    profiles = Map.copyOf(profiles);
  }

  public static ProvisioningConfig load(Path dir) throws ConfigException {
    try {
      return parse(ConfigFile.read(dir.resolve(FILE), KEYS));
    } catch (NoSuchFileException e) {
      throw new ConfigException(ConfigException.Kind.MISSING_FILE,
          "no " + FILE + " in " + dir + "; run 'holdfast-provisioning init --dir " + dir + "' first");
    }
  }

  static ProvisioningConfig parse(ConfigFile f) throws ConfigException {
    Settings s = new Settings(f);
    RelaySettings d = RelaySettings.defaults();
    CaSettings ca = s.build("ca.*", () -> new CaSettings(
        s.get("ca.device-lifetime", Durations::parse, Duration.ofDays(30)),
        s.get("ca.server-lifetime", Durations::parse, Duration.ofDays(90)),
        s.get("ca.crl-validity", Durations::parse, Duration.ofDays(7)),
        s.optional("ca.crl-path", Path::of)));
    Map<String, Profile> profiles = new TreeMap<>();
    for (String key : f.entries().keySet()) {
      if (key.startsWith("profile.") && key.endsWith(".scopes")) {
        String name = key.substring("profile.".length(), key.length() - ".scopes".length());
        String prefix = "profile." + name + ".";
        Duration cert = s.get(prefix + "cert-lifetime", Durations::parse, ca.deviceLifetime());
        Duration keys = s.get(prefix + "key-lifetime", Durations::parse, Duration.ofDays(90));
        Set<String> scopes = new LinkedHashSet<>(s.get(key, ProvisioningConfig::list, List.of()));
        List<String> labels = s.get(prefix + "labels", ProvisioningConfig::list, List.of());
        profiles.put(name, s.build(key, () -> new Profile(name, cert, keys, scopes, new TreeSet<>(labels))));
      }
    }
    RelaySettings.Upstream kind = s.get("relay.upstream.kind", ProvisioningConfig::upstreamKind,
        RelaySettings.Upstream.TWILIO);
    Optional<URI> upstreamUrl = kind == RelaySettings.Upstream.WEBHOOK
        ? s.optional("relay.upstream.webhook-url", URI::create)
        : Optional.of(s.get("relay.upstream.base-url", URI::create, d.upstreamBaseUrl()));
    if (upstreamUrl.isEmpty()) {
      throw new ConfigException(f.source() + ": relay.upstream.kind=webhook needs relay.upstream.webhook-url=https://...");
    }
    RelaySettings relay = s.build("relay.*", () -> new RelaySettings(
        s.get("relay.server-names", ProvisioningConfig::list, d.serverNames()),
        s.get("relay.max-body-bytes", ProvisioningConfig::number, d.maxBodyBytes()),
        s.get("relay.rate-limit.burst", ProvisioningConfig::number, d.rateBurst()),
        s.get("relay.rate-limit.per-minute", ProvisioningConfig::number, d.ratePerMinute()),
        s.get("relay.idempotency-window", Durations::parse, d.idempotencyWindow()),
        upstreamUrl.get(),
        s.get("relay.upstream.account-sid", v -> v, ""),
        s.get("relay.upstream.from", v -> v, ""),
        s.get("relay.upstream.timeout", Durations::parse, d.upstreamTimeout()),
        s.get("relay.threads", ProvisioningConfig::number, d.threads()),
        kind));
    BrokerSettings broker = s.build("broker.*", () -> new BrokerSettings(
        s.optional("broker.mqtt-uri", v -> v),
        s.get("broker.pid-file", Path::of, BrokerSettings.DEFAULT_PID_FILE),
        f.has("broker.acl-path") && f.get("broker.acl-path").isEmpty() ? Optional.empty()
            : Optional.of(s.get("broker.acl-path", Path::of, BrokerSettings.DEFAULT_ACL_PATH))));
    RotationSettings rd = RotationSettings.defaults();
    RotationSettings rotation = s.build("rotation.*", () -> new RotationSettings(
        s.get("rotation.key-grace", Durations::parse, rd.keyGrace()),
        s.get("rotation.max-skew", Durations::parse, rd.maxSkew()),
        s.get("rotation.recovery-window", Durations::parse, rd.recoveryWindow())));
    ApiLimits a = ApiLimits.defaults();
    ApiLimits api = s.build("api.*", () -> new ApiLimits(
        s.get("api.read-timeout", Durations::parse, a.readTimeout()),
        s.get("api.max-connections-per-source", ProvisioningConfig::number, a.connectionsPerSource()),
        s.get("api.enroll-rate-limit.burst", ProvisioningConfig::number, a.enrollBurst()),
        s.get("api.enroll-rate-limit.per-minute", ProvisioningConfig::number, a.enrollPerMinute())));
    return new ProvisioningConfig(s.get("fleet.name", v -> v, "Holdfast Fleet"), ca,
        s.get("tokens.default-ttl", Durations::parse, Duration.ofHours(24)), profiles,
        s.get("relay.listen", v -> v, "127.0.0.1:8443"), relay, broker, rotation, api,
        f.has("admin.listen") && f.get("admin.listen").isEmpty() ? Optional.empty()
            : Optional.of(s.get("admin.listen", v -> v, DEFAULT_ADMIN_LISTEN)));
  }

  /** Typed values of a file; every refusal names the line, the key and what it must be. */
  private record Settings(ConfigFile file) {
    <T> T get(String key, Function<String, T> parse, T fallback) throws ConfigException {
      return optional(key, parse).orElse(fallback);
    }

    <T> Optional<T> optional(String key, Function<String, T> parse) throws ConfigException {
      Optional<ConfigFile.Entry> e = file.get(key);
      if (e.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(parse.apply(e.get().value()));
      } catch (RuntimeException ex) {
        throw new ConfigException(e.get().where() + ": " + key + " = '" + e.get().value()
            + "' is not allowed; it must be " + ex.getMessage());
      }
    }

    /** A settings record whose own checks (ranges, combinations) name the setting at fault. */
    <T> T build(String what, ConfigSupplier<T> make) throws ConfigException {
      try {
        return make.get();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file.source() + " (" + what + "): " + e.getMessage());
      }
    }
  }

  @FunctionalInterface
  private interface ConfigSupplier<T> {
    T get() throws ConfigException;
  }

  private static RelaySettings.Upstream upstreamKind(String v) {
    return switch (v) {
      case "twilio" -> RelaySettings.Upstream.TWILIO;
      case "webhook" -> RelaySettings.Upstream.WEBHOOK;
      default -> throw new IllegalArgumentException("'twilio' or 'webhook'");
    };
  }

  private static int number(String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a whole number");
    }
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
        "# Handler threads: each waits for the SMS provider's answer, so they bound messages in flight.",
        "relay.threads=" + RelaySettings.DEFAULT_THREADS,
        "# What one client address may take of the HTTPS API (enroll and relay): a whole request within",
        "# read-timeout (a slower one is dropped), this many open connections, enrollment attempts per minute.",
        "api.read-timeout=10s",
        "api.max-connections-per-source=16",
        "api.enroll-rate-limit.burst=10",
        "api.enroll-rate-limit.per-minute=30",
        "# Where messages go: twilio (a Twilio-compatible SMS API) or webhook (JSON {to, body} to one URL).",
        "# The auth token (Twilio) or bearer token (webhook, optional) is sealed: 'relay set-auth-token'.",
        "relay.upstream.kind=twilio",
        "relay.upstream.webhook-url=",
        "relay.upstream.base-url=https://api.twilio.com",
        "relay.upstream.account-sid=",
        "relay.upstream.from=",
        "relay.upstream.timeout=10s",
        "",
        "# The fleet broker, for 'serve' (MQTT responder), 'devices ping' and 'revoke' (it closes the revoked device's",
        "# open session there). Empty: 'serve' runs the HTTPS API only.",
        "broker.mqtt-uri=",
        "# Mosquitto's pid file: after every CRL or ACL rewrite the broker is sent SIGHUP to re-read them; a pid file",
        "# that is missing or unreadable, or a refused signal, is an error (exit 69) recorded as pending.",
        "broker.pid-file=" + BrokerSettings.DEFAULT_PID_FILE,
        "# The broker's ACL (Mosquitto's acl_file), rewritten from the shipped base whenever operators change or a",
        "# device is revoked.",
        "# Empty: not written (then run 'broker certs --out DIR' to produce it).",
        "broker.acl-path=" + BrokerSettings.DEFAULT_ACL_PATH,
        "",
        "# Rotation: how long a replaced API key keeps working after the device confirmed (0s: 401 at once),",
        "# and how far a renew request's time may be from this service's clock (older captures are refused).",
        "rotation.key-grace=0s",
        "rotation.max-skew=10m",
        "# How long after its certificate expired a device may still recover over HTTPS (POST /v1/recover, signed",
        "# by its last key); past it the device needs a new token. 0s: never.",
        "rotation.recovery-window=30d",
        "",
        "# Where 'serve' takes operators' commands ('--service https://HOST:PORT --operator DIR/NAME'): HTTPS that",
        "# needs an operator certificate ('operators add NAME --role viewer|admin'). Empty: off.",
        "admin.listen=" + DEFAULT_ADMIN_LISTEN,
        "");
  }
}
