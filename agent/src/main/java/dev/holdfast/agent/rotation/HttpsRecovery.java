package dev.holdfast.agent.rotation;

import dev.holdfast.common.http.Urls;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The renew of a device whose certificate has expired, so that the broker refuses it: {@code POST
 * <provisioning.url>/v1/recover} over HTTPS, with a client that trusts only the pinned fleet root.
 * The service answers as it would on {@code prov/req} (a signed renewed, or an error with its code),
 * whatever the HTTP status; no answer, or one that is not the protocol's, is {@link NoAnswer}.
 */
public final class HttpsRecovery implements ProvisioningChannel {
  public static final String PATH = "/v1/recover";
  /** Larger bodies are not answers (a renewed is a few KiB). */
  static final int MAX_ANSWER_BYTES = 1024 * 1024;

  private final URI endpoint;
  private final Supplier<HttpClient> http;

  /** @param http made on first use, trusting only the fleet root (the relay's client) */
  public HttpsRecovery(URI provisioningUrl, Supplier<HttpClient> http) {
    this.endpoint = Urls.under(provisioningUrl, PATH);
    this.http = http;
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public ProvAnswer exchange(ProvRequest request, Duration timeout) throws NoAnswer {
    HttpRequest post = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", EnrollRequest.CONTENT_TYPE).header("User-Agent", "holdfast-agent")
        .POST(HttpRequest.BodyPublishers.ofString(request.toJson(), StandardCharsets.UTF_8)).build();
    byte[] body;
    int status;
    try {
      HttpResponse<InputStream> answer = http.get().send(post, HttpResponse.BodyHandlers.ofInputStream());
      status = answer.statusCode();
      try (InputStream in = answer.body()) {
        body = in.readNBytes(MAX_ANSWER_BYTES + 1);
      }
    } catch (IOException e) {
      throw new NoAnswer("cannot reach " + endpoint + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s+", " ").strip()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoAnswer("interrupted while waiting for " + endpoint);
    }
    if (body.length > MAX_ANSWER_BYTES) {
      throw new NoAnswer("the answer of " + endpoint + " is over " + MAX_ANSWER_BYTES + " bytes");
    }
    try {
      return ProvAnswer.parse(body);
    } catch (MessageException | RuntimeException e) {
      throw new NoAnswer("the answer of " + endpoint + " (HTTP " + status + ") is not a provisioning answer; "
          + "check provisioning.url");
    }
  }
}
