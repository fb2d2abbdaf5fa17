package dev.holdfast.bench.enrollment;

import dev.holdfast.agent.identity.TlsContexts;
import dev.holdfast.protocol.messages.EnrollRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * The bare HTTPS round trip an enrollment rides on: a fresh TLS context pinned to the fleet root
 * and a fresh JDK HTTP client per request (as {@code EnrollmentClient} is built per enrollment),
 * so every request opens a new connection with a full handshake, then POSTs a body the size of an
 * enrollment request to the constant-200 server.
 */
final class BaselinePost {
  /** About the size of a real {@code EnrollRequest}: token plus a P-256 CSR, base64. */
  static final String BODY = "{\"pad\":\"" + "x".repeat(500) + "\"}";

  private BaselinePost() {}

  static long once(URI server, X509Certificate root, SecureRandom random) throws Exception {
    long t0 = System.nanoTime();
    HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.trustingOnly(root, random))
        .connectTimeout(Duration.ofSeconds(60)).followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server + "/v1/enroll"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", EnrollRequest.CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("baseline server answered " + r.statusCode() + ": " + r.body());
    }
    return System.nanoTime() - t0;
  }
}
