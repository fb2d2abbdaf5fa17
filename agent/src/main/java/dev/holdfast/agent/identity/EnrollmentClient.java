package dev.holdfast.agent.identity;

import dev.holdfast.common.http.Urls;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * {@code POST <server>/v1/enroll} over HTTPS with the JDK client. The TLS context trusts only the
 * pinned fleet root and the client checks the host name, so a server the fleet CA did not certify
 * for that name is never sent the token.
 */
public final class EnrollmentClient {
  /** Larger answers are not enrollment responses (a chain and a key are a few KiB). */
  static final int MAX_RESPONSE_BYTES = 1024 * 1024;
  private final URI server;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param server the provisioning API's base URL ({@code https://host:port}, a path is kept)
   * @param tls from {@link TlsContexts#trustingOnly}
   */
  public EnrollmentClient(URI server, SSLContext tls, Duration timeout) {
    this.server = server;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public URI endpoint() {
    return Urls.under(server, "/v1/enroll");
  }

  /** Sends the request; returns the parsed (not yet verified) response, or the failure. */
  public EnrollResponse enroll(EnrollRequest request) throws EnrollmentException {
    String token = request.tokenText();
    HttpRequest post = HttpRequest.newBuilder(endpoint()).timeout(timeout)
        .header("Content-Type", EnrollRequest.CONTENT_TYPE).header("User-Agent", "holdfast-agent")
        .POST(HttpRequest.BodyPublishers.ofString(request.toJson(), StandardCharsets.UTF_8)).build();
    HttpResponse<InputStream> answer;
    byte[] body;
    try {
      answer = http.send(post, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = answer.body()) {
        body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
      }
    } catch (IOException e) {
      throw failure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnrollmentException(EnrollmentException.Reason.UNREACHABLE, "interrupted while waiting for "
          + endpoint() + "; run the same command again");
    }
    if (body.length > MAX_RESPONSE_BYTES) {
      throw new EnrollmentException(EnrollmentException.Reason.SERVER_ERROR, "the answer of " + endpoint()
          + " is over " + MAX_RESPONSE_BYTES + " bytes; check --server points at the provisioning API");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    int status = answer.statusCode();
    if (status == 200) {
      return ServerAnswers.response(text);
    }
    throw ServerAnswers.error(text, Optional.of(token), "the answer of " + endpoint() + " (HTTP " + status + ")");
  }

  private EnrollmentException failure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException ssl) {
        return new EnrollmentException(EnrollmentException.Reason.TLS, "TLS with " + server.getHost()
            + " failed, nothing was sent: the server's certificate does not chain to the pinned fleet root or does "
            + "not name '" + server.getHost() + "' (" + oneLine(ssl.getMessage())
            + "); check --server and --fleet-root");
      }
    }
    String what = e instanceof HttpTimeoutException ? "no answer within " + timeout.toSeconds() + " s"
        : e instanceof ConnectException ? "connection refused or no route" : oneLine(String.valueOf(e.getMessage()));
    return new EnrollmentException(EnrollmentException.Reason.UNREACHABLE, "cannot reach the provisioning server "
        + endpoint() + " (" + what + "): check the address and the network, then run the same command again", e);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }
}
