package dev.holdfast.provisioning.relay;

import dev.holdfast.provisioning.support.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How the relay runs ({@code relay.*} in the config file).
 *
 * @param serverNames DNS names and IP addresses in the TLS certificate ({@code relay.server-names})
 * @param maxBodyBytes larger requests get 413 ({@code relay.max-body-bytes})
 * @param rateBurst token bucket size per API key ({@code relay.rate-limit.burst})
 * @param ratePerMinute refill rate per API key ({@code relay.rate-limit.per-minute})
 * @param idempotencyWindow how long a first response is replayed ({@code relay.idempotency-window})
 * @param upstreamBaseUrl Twilio-compatible API root ({@code relay.upstream.base-url}), or with
 *     {@link Upstream#WEBHOOK} the exact URL messages are posted to ({@code relay.upstream.webhook-url})
 * @param accountSid {@code relay.upstream.account-sid} (Twilio only); the auth token is a sealed secret
 * @param from sender number ({@code relay.upstream.from}, Twilio only)
 * @param upstreamTimeout per request to the SMS API ({@code relay.upstream.timeout})
 * @param threads request handler threads ({@code relay.threads})
 * @param upstream where messages go ({@code relay.upstream.kind}: {@code twilio} or {@code webhook})
 */
public record RelaySettings(
    List<String> serverNames,
    int maxBodyBytes,
    int rateBurst,
    int ratePerMinute,
    Duration idempotencyWindow,
    URI upstreamBaseUrl,
    String accountSid,
    String from,
    Duration upstreamTimeout,
    int threads,
    Upstream upstream) {

  /** The kind of service messages are forwarded to. */
  public enum Upstream {
    /** Twilio's Messages API or a compatible one: form POST with basic auth. */
    TWILIO,
    /** One URL taking JSON {@code {"to", "body"}}, with an optional bearer token. */
    WEBHOOK
  }

  /** Forwarding to a Twilio-compatible SMS API. */
  public RelaySettings(List<String> serverNames, int maxBodyBytes, int rateBurst, int ratePerMinute,
      Duration idempotencyWindow, URI upstreamBaseUrl, String accountSid, String from, Duration upstreamTimeout,
      int threads) {
    this(serverNames, maxBodyBytes, rateBurst, ratePerMinute, idempotencyWindow, upstreamBaseUrl, accountSid, from,
        upstreamTimeout, threads, Upstream.TWILIO);
  }

  public RelaySettings {
    serverNames = List.copyOf(serverNames);
    if (serverNames.isEmpty()) {
      throw new IllegalArgumentException("relay.server-names needs at least one name");
    }
    Checks.inRange(maxBodyBytes, 256, 1 << 20, "relay.max-body-bytes");
    Checks.inRange(rateBurst, 1, 100_000, "relay.rate-limit.burst");
    Checks.inRange(ratePerMinute, 1, 1_000_000, "relay.rate-limit.per-minute");
    Checks.atMost(idempotencyWindow, Duration.ofDays(7), "relay.idempotency-window");
    Checks.notNull(upstream, "relay.upstream.kind");
    String urlSetting = upstream == Upstream.WEBHOOK ? "relay.upstream.webhook-url" : "relay.upstream.base-url";
    Checks.notNull(upstreamBaseUrl, urlSetting);
    String scheme = upstreamBaseUrl.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new IllegalArgumentException(urlSetting + " must be an http(s) URL, got " + upstreamBaseUrl);
    }
    Checks.notNull(accountSid, "relay.upstream.account-sid");
    Checks.notNull(from, "relay.upstream.from");
    Checks.atMost(upstreamTimeout, Duration.ofMinutes(2), "relay.upstream.timeout");
    Checks.inRange(threads, 1, 256, "relay.threads");
  }

  /**
   * A handler waits for the SMS provider's answer (tenths of a second) and for its SENT record's
   * commit, so the threads bound the messages in flight: 8 would cap a relay at a few dozen
   * messages a second against a real provider (docs/decisions.md).
   */
  public static final int DEFAULT_THREADS = 64;

  public static RelaySettings defaults() {
    return new RelaySettings(List.of("localhost", "127.0.0.1"), 8192, 10, 60, Duration.ofHours(24),
        URI.create("https://api.twilio.com"), "", "", Duration.ofSeconds(10), DEFAULT_THREADS);
  }
}
