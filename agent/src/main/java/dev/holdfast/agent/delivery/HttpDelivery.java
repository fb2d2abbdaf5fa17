package dev.holdfast.agent.delivery;

import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.common.sms.TwilioClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP POST attempt for a record: the record's {@code Idempotency-Key} on every attempt, the
 * delivery timeout for connecting and for each wait on the answer, the answer classified by {@link
 * HttpOutcomes}. Shared by the relay and webhook senders.
 *
 * <p>Made with {@link HttpURLConnection}, not the JDK's {@code HttpClient}: on a Pi the client's
 * first request loads about 1,500 classes and starts its own threads, 12-15 MiB of RSS the agent
 * keeps for good, where this costs 3.5 MiB over plain HTTP and shares the TLS stack the MQTT link
 * already loaded (docs/decisions.md, "Deliveries over HttpURLConnection"). The JDK would send a
 * POST again on its own when a connection drops before the answer; {@code sun.net.http.retryPost}
 * is set to false before its HTTP classes load, so a repeated attempt stays the outbox's decision.
 * (Fixed-length streaming mode would also prevent it, but then the JDK probes every kept-alive
 * connection with a read that waits 1 ms before reusing it: a third of the drain rate.) Redirects
 * are not followed; proxies from system properties are not used (as with the client before).
 */
public final class HttpDelivery {
  /** What the agent calls itself in every request. */
  public static final String USER_AGENT = "holdfast-agent";
  /** The JVM's own trust store, read at the first HTTPS request that needs it. */
  public static final Supplier<SSLSocketFactory> PLATFORM_TLS = HttpsURLConnection::getDefaultSSLSocketFactory;
  /** Answers longer than this are not read to their end; the connection is closed instead of reused. */
  static final int DRAIN_LIMIT = 64 * 1024;
  private static final Pattern HEADER_VALUE = Pattern.compile("[\\t\\x20-\\x7e\\x80-\\xff]*");

  static {
    // read once, when the JDK's HTTP client classes initialise: the agent loads them here first
    if (System.getProperty("sun.net.http.retryPost") == null) {
      System.setProperty("sun.net.http.retryPost", "false");
    }
  }

  private final Supplier<SSLSocketFactory> tls;
  private final Duration timeout;
  private final Clock clock;

  /**
   * @param tls the TLS sockets for {@code https} URLs (the fleet root only, for the relay), asked
   *     for at each HTTPS attempt; {@link #PLATFORM_TLS} for the JVM's trust store
   */
  public HttpDelivery(Supplier<SSLSocketFactory> tls, Duration timeout, Clock clock) {
    this.tls = tls;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** A POST of {@code body} to {@code uri} with the record's idempotency key; add headers to it. */
  public Post post(URI uri, OutboxRecord record, String contentType, byte[] body) {
    return new Post(uri, body)
        .header("Content-Type", contentType)
        .header("Idempotency-Key", record.idempotencyKey())
        .header("User-Agent", USER_AGENT);
  }

  /** What a Twilio answer (or its absence) means for the record. */
  public DeliveryOutcome outcome(TwilioClient.Reply reply) {
    if (reply instanceof TwilioClient.Answered a) {
      return HttpOutcomes.ofStatus(a.status(), a.retryAfter(), clock);
    }
    if (reply instanceof TwilioClient.NoAnswer n) {
      return HttpOutcomes.ofFailure(n.cause());
    }
    return HttpOutcomes.interrupted();
  }

  /** The delivery timeout, for senders that make their requests with another client. */
  public Duration timeout() {
    return timeout;
  }

  public DeliveryOutcome send(Post post) {
    for (Map.Entry<String, String> h : post.headers.entrySet()) {
      if (!HEADER_VALUE.matcher(h.getValue()).matches()) {
        // the JDK's own refusal would quote the value, which may be a credential
        return new DeliveryOutcome.Permanent("the " + h.getKey() + " header holds a character a header cannot carry");
      }
    }
    HttpURLConnection c = null;
    try {
      c = open(post.uri);
      post.headers.forEach(c::setRequestProperty);
      try (OutputStream out = c.getOutputStream()) {
        out.write(post.body);
      }
      int status = c.getResponseCode();
      Optional<String> retryAfter = Optional.ofNullable(c.getHeaderField("Retry-After"));
      if (!drained(c, status)) {
        c.disconnect();
      }
      return HttpOutcomes.ofStatus(status, retryAfter, clock);
    } catch (IOException e) {
      if (c != null) {
        c.disconnect();
      }
      return HttpOutcomes.ofFailure(e);
    }
  }

  private HttpURLConnection open(URI uri) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    if (c instanceof HttpsURLConnection s) {
      s.setSSLSocketFactory(tls.get());
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    c.setConnectTimeout(millis);
    c.setReadTimeout(millis);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setDoOutput(true);
    c.setRequestMethod("POST");
    return c;
  }

  /** Reads the answer's body to its end (up to {@link #DRAIN_LIMIT}) so the connection can be reused. */
  private static boolean drained(HttpURLConnection c, int status) {
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      if (in == null) {
        return true;
      }
      byte[] buffer = new byte[4096];
      int total = 0;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        total += n;
        if (total > DRAIN_LIMIT) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A POST about to be made: the body and the headers so far. Its text never includes them. */
  public static final class Post {
    private final URI uri;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();

    Post(URI uri, byte[] body) {
      this.uri = uri;
      this.body = body;
    }

    /** Sets a header (a later call for the same name replaces the value). */
    public Post header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    @Override
    public String toString() {
      return "POST to " + uri.getHost();
    }
  }
}
