package dev.holdfast.provisioning.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.ProvAnswer;
import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.provisioning.support.RateLimiter;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * {@code POST /v1/recover}: a device whose certificate expired while it was offline (so the broker
 * refuses it) posts the renew it would have sent on {@code prov/req}, signed by its last key. The
 * answer is the one the broker would have carried: a signed renewed (200), or an error with the
 * same code and an HTTP status that says what kind of refusal it is. The device then connects with
 * the new certificate and confirms over MQTT, as in every rotation. Same limits as enrollment: a
 * bounded body and {@code api.enroll-rate-limit} per source address.
 */
public final class RecoverHandler implements HttpHandler {
  public static final String PATH = "/v1/recover";

  private final Function<byte[], ProvAnswer> recovery;
  private final RateLimiter perSource;

  /** @param recovery the rotation service's {@code recover} */
  public RecoverHandler(Function<byte[], ProvAnswer> recovery, RateLimiter perSource) {
    this.recovery = recovery;
    this.perSource = perSource;
  }

  public static ApiServer.Route route(Function<byte[], ProvAnswer> recovery, RateLimiter perSource) {
    return new ApiServer.Route(PATH, new RecoverHandler(recovery, perSource));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, refusal(ProvError.Code.BAD_REQUEST, "no such endpoint; recover with POST " + PATH));
      } else if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        send(exchange, 405, refusal(ProvError.Code.BAD_REQUEST, "use POST"));
      } else if (!EnrollHandler.json(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        send(exchange, 400, refusal(ProvError.Code.BAD_REQUEST, "Content-Type must be " + EnrollRequest.CONTENT_TYPE));
      } else {
        Optional<Long> wait = EnrollHandler.retryAfter(exchange, perSource, "recovery");
        if (wait.isPresent()) {
          send(exchange, 429, refusal(ProvError.Code.UNAVAILABLE, "too many attempts from this address; retry in "
              + wait.get() + " s"));
          return;
        }
        byte[] body = EnrollHandler.readBody(exchange);
        if (body == null) {
          send(exchange, 413, refusal(ProvError.Code.BAD_REQUEST, "the request is larger than "
              + EnrollRequest.MAX_BYTES + " bytes"));
          return;
        }
        ProvAnswer answer = recovery.apply(body);
        send(exchange, status(answer), answer);
      }
    } catch (RuntimeException e) {
      Logger.error("unexpected failure while recovering: {}", e.getClass().getName());
      send(exchange, 500, refusal(ProvError.Code.INTERNAL, "internal error; nothing changed; retry later"));
    } finally {
      exchange.close();
    }
  }

  /** 200 for an answer; for a refusal, what kind it is. */
  static int status(ProvAnswer answer) {
    if (!(answer instanceof ProvError e)) {
      return 200;
    }
    return switch (e.code()) {
      case BAD_REQUEST, STALE, CSR_REJECTED -> 400;
      case BAD_SIGNATURE, DEVICE_REVOKED, RECOVERY_CLOSED -> 403;
      case UNKNOWN_DEVICE -> 404;
      case NO_ROTATION -> 409;
      case UNSUPPORTED -> 501;
      case INTERNAL -> 500;
      case UNAVAILABLE -> 503;
    };
  }

  private static ProvError refusal(ProvError.Code code, String message) {
    return new ProvError(code, message, Optional.empty());
  }

  private static void send(HttpExchange exchange, int status, ProvAnswer answer) throws IOException {
    EnrollHandler.send(exchange, status, answer.toJson());
  }
}
