package dev.holdfast.provisioning.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.holdfast.common.Result;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.provisioning.enrollment.Enrollment;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.support.RateLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * {@code POST /v1/enroll}: a bounded JSON {@link EnrollRequest} in, a signed {@link EnrollResponse}
 * (API key sealed to the CSR's key) or an {@link EnrollError} out. The token is never logged or
 * echoed; errors name it by its public id only.
 */
public final class EnrollHandler implements HttpHandler {
  public static final String PATH = "/v1/enroll";
  /** Who the audit log says enrolled a device over HTTPS. */
  static final String ACTOR = "api";

  private final Enrollment enrollment;
  private final RateLimiter perSource;

  /** {@code perSource}: attempts per source address, taken before the request is read. */
  public EnrollHandler(Enrollment enrollment, RateLimiter perSource) {
    this.enrollment = enrollment;
    this.perSource = perSource;
  }

  public static ApiServer.Route route(Enrollment enrollment, RateLimiter perSource) {
    return new ApiServer.Route(PATH, new EnrollHandler(enrollment, perSource));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, error(EnrollError.Code.BAD_REQUEST, "no such endpoint; enroll with POST " + PATH));
      } else if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        send(exchange, 405, error(EnrollError.Code.BAD_REQUEST, "use POST"));
      } else if (limited(exchange)) {
        return;
      } else if (!json(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        send(exchange, 400, error(EnrollError.Code.BAD_REQUEST,
            "Content-Type must be " + EnrollRequest.CONTENT_TYPE));
      } else {
        byte[] body = readBody(exchange);
        if (body == null) {
          reply(exchange, new EnrollError(EnrollError.Code.TOO_LARGE,
              "the request is larger than " + EnrollRequest.MAX_BYTES + " bytes"));
        } else {
          enroll(exchange, body);
        }
      }
    } catch (RuntimeException e) {
      // The class only: a message can quote what the client sent.
      Logger.error("unexpected failure while enrolling: {}", e.getClass().getName());
      reply(exchange, Enrollment.unexpected());
    } finally {
      exchange.close();
    }
  }

  private void enroll(HttpExchange exchange, byte[] body) throws IOException {
    EnrollRequest request;
    try {
      request = EnrollRequest.parse(body);
    } catch (MessageException e) {
      reply(exchange, new EnrollError(EnrollError.Code.BAD_REQUEST, e.getMessage()));
      return;
    } finally {
      java.util.Arrays.fill(body, (byte) 0);
    }
    Result<EnrollResponse, EnrollError.Code> outcome;
    try {
      outcome = enrollment.enroll(request, ACTOR);
    } catch (RegistryException e) {
      Logger.error("enrollment failed: {}", e.getMessage());
      reply(exchange, Enrollment.failure(e));
      return;
    } finally {
      request.token().destroy();
    }
    if (outcome instanceof Result.Refused<EnrollResponse, EnrollError.Code> refused) {
      reply(exchange, new EnrollError(refused.reason(), refused.message()));
    } else {
      send(exchange, 200, outcome.ok().orElseThrow().toJson());
    }
  }

  /** Answers 429 with Retry-After when this source has no attempt left; the registry is not touched. */
  private boolean limited(HttpExchange exchange) throws IOException {
    Optional<Long> seconds = retryAfter(exchange, perSource, "enrollment");
    if (seconds.isPresent()) {
      reply(exchange, new EnrollError(EnrollError.Code.RATE_LIMITED,
          "too many enrollment attempts from this address; retry in " + seconds.get() + " s"));
    }
    return seconds.isPresent();
  }

  /**
   * Empty when the exchange's source may make another {@code what} attempt; else the seconds it must
   * wait, already set as Retry-After (the caller answers 429).
   */
  static Optional<Long> retryAfter(HttpExchange exchange, RateLimiter perSource, String what) {
    String source = exchange.getRemoteAddress().getAddress().getHostAddress();
    Optional<Duration> wait = perSource.acquire(source);
    if (wait.isEmpty()) {
      return Optional.empty();
    }
    long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
    Logger.info("{} attempts from {} over api.enroll-rate-limit: 429 for {} s", what, source, seconds);
    exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
    return Optional.of(seconds);
  }

  static boolean json(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals(EnrollRequest.CONTENT_TYPE);
  }

  /** The body, or null when it exceeds {@link EnrollRequest#MAX_BYTES}. */
  static byte[] readBody(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    try {
      if (length != null && Long.parseLong(length.trim()) > EnrollRequest.MAX_BYTES) {
        return null;
      }
    } catch (NumberFormatException e) {
      // the bounded read decides
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(EnrollRequest.MAX_BYTES + 1);
      return body.length > EnrollRequest.MAX_BYTES ? null : body;
    }
  }

  private static String error(EnrollError.Code code, String message) {
    return new EnrollError(code, message).toJson();
  }

  private static void reply(HttpExchange exchange, EnrollError error) throws IOException {
    send(exchange, error.code().status, error.toJson());
  }

  static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (status == 503) {
      exchange.getResponseHeaders().set("Retry-After", "30");
    }
    RequestBodies.discardRest(exchange);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
