package dev.holdfast.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The MQTT link to the broker ({@code mqtt.*}), validated.
 *
 * @param broker {@code mqtt.broker}; empty means the agent runs without a link (mqtt records wait)
 * @param keepAlive {@code mqtt.keepalive}, whole seconds as MQTT carries them
 * @param stateInterval {@code mqtt.state-interval}: the retained state is republished this often
 *     even when nothing changed, so "last seen" stays fresh
 * @param sessionExpiry {@code mqtt.session-expiry}: how long the broker keeps the session (and the
 *     QoS 1 commands sent to it) after the connection drops
 * @param reconnectBase {@code mqtt.reconnect.base}, the first backoff ceiling
 * @param reconnectCap {@code mqtt.reconnect.cap}, the largest backoff ceiling
 * @param timeout {@code mqtt.timeout}: for the TCP + TLS + CONNECT handshake and for each PUBACK
 */
public record LinkSettings(
    Optional<URI> broker,
    Duration keepAlive,
    Duration stateInterval,
    Duration sessionExpiry,
    Duration reconnectBase,
    Duration reconnectCap,
    Duration timeout) {
  /** The largest finite MQTT v5 session expiry interval (0xFFFFFFFF means "never"). */
  static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFF_FFFEL;

  public LinkSettings {
    Objects.requireNonNull(broker, "mqtt.broker");
    if (keepAlive.compareTo(Duration.ofSeconds(1)) < 0 || keepAlive.compareTo(Duration.ofSeconds(65_535)) > 0) {
      throw new IllegalArgumentException("mqtt.keepalive must be from 1s to 65535s (18h), got " + keepAlive);
    }
    Checks.positive(stateInterval, "mqtt.state-interval");
    if (sessionExpiry.isNegative() || sessionExpiry.getSeconds() > MAX_SESSION_EXPIRY_SECONDS) {
      throw new IllegalArgumentException("mqtt.session-expiry must be from 0s to " + MAX_SESSION_EXPIRY_SECONDS
          + "s, got " + sessionExpiry);
    }
    Checks.positive(reconnectBase, "mqtt.reconnect.base");
    Checks.atMost(reconnectBase.toMillis(), reconnectCap.toMillis(), "mqtt.reconnect.base", "mqtt.reconnect.cap");
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("mqtt.timeout must be at least 1s, got " + timeout);
    }
  }

  /** The defaults of every setting but the broker. */
  public static LinkSettings defaults(Optional<URI> broker) {
    return new LinkSettings(broker, Duration.ofSeconds(60), Duration.ofMinutes(15), Duration.ofDays(1),
        Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(10));
  }

  /** Parses {@code mqtt.broker}: TLS only ({@code ssl://host[:port]}), since devices authenticate by certificate. */
  static URI brokerUri(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("ssl") && uri.getHost() != null && uri.getRawUserInfo() == null
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // fall through
    }
    throw new IllegalArgumentException("an ssl:// URI with a host, such as ssl://broker.example:8883");
  }
}
