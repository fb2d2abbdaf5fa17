package dev.holdfast.provisioning.relay;

import dev.holdfast.provisioning.support.RateLimiter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.apikeys.Scopes;
import dev.holdfast.provisioning.apikeys.Verification;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.support.Base62;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.protocol.messages.RelayMessage;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tinylog.Logger;

/**
 * {@code POST /v1/messages}: authenticate, check scope, rate-limit, validate, then send once per
 * idempotency key. The order matters: nothing about a request is revealed before its key is checked.
 */
final class MessagesHandler implements HttpHandler {
  static final String PATH = "/v1/messages";
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final RelaySettings settings;
  private final ApiKeyService keys;
  private final RateLimiter limiter;
  private final IdempotencyStore idempotency;
  private final SmsSender sender;
  private final SecureRandom random;

  MessagesHandler(RelaySettings settings, ApiKeyService keys, RateLimiter limiter, IdempotencyStore idempotency,
      SmsSender sender, SecureRandom random) {
    this.settings = settings;
    this.keys = keys;
    this.limiter = limiter;
    this.idempotency = idempotency;
    this.sender = sender;
    this.random = random;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    // Not try-with-resources: that would close the exchange before the catch could answer 503/500.
    try {
      handleChecked(exchange);
    } catch (RegistryException e) {
      Logger.error("registry failure while handling a message: {}", e.getMessage());
      exchange.getResponseHeaders().set("Retry-After", "30");
      Exchanges.json(exchange, 503, Exchanges.error("unavailable", "the relay cannot reach its registry; retry later"));
    } catch (RuntimeException e) {
      // The class only: a message can quote a header, and the upstream token goes into one.
      Logger.error("unexpected failure while handling a message: {}", e.getClass().getName());
      Exchanges.json(exchange, 500, Exchanges.error("internal", "internal error"));
    } finally {
      exchange.close();
    }
  }

  private void handleChecked(HttpExchange exchange) throws IOException, RegistryException {
    if (!PATH.equals(exchange.getRequestURI().getPath())) {
      Exchanges.json(exchange, 404, Exchanges.error("not_found", "no such endpoint"));
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      Exchanges.json(exchange, 405, Exchanges.error("method_not_allowed", "use POST"));
      return;
    }
    // The Jetty adapter builds a new copy of the headers at each call: take them once.
    Headers headers = exchange.getRequestHeaders();
    Optional<ApiKeyRecord> key = authenticate(exchange, headers);
    if (key.isEmpty()) {
      return;
    }
    ApiKeyRecord k = key.get();
    if (!k.scopes().contains(Scopes.MESSAGES_SEND)) {
      Logger.info("key {} lacks scope {}", k.id(), Scopes.MESSAGES_SEND);
      exchange.getResponseHeaders().set("WWW-Authenticate",
          "Bearer error=\"insufficient_scope\", scope=\"" + Scopes.MESSAGES_SEND + "\"");
      Exchanges.json(exchange, 403, Exchanges.error("insufficient_scope",
          "this API key may not send messages", Json.object("scope", Scopes.MESSAGES_SEND)));
      return;
    }
    Optional<Duration> wait = limiter.acquire(k.id());
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
      Exchanges.json(exchange, 429, Exchanges.error("rate_limited", "too many requests for this API key; retry after "
          + seconds + "s"));
      return;
    }
    String idemKey = headers.getFirst("Idempotency-Key");
    if (idemKey != null && !IDEMPOTENCY_KEY.matcher(idemKey).matches()) {
      Exchanges.json(exchange, 400, Exchanges.error("invalid_request",
          "Idempotency-Key must be 1-255 visible ASCII characters", Json.object("field", "Idempotency-Key")));
      return;
    }
    byte[] raw;
    try {
      raw = Exchanges.readBody(exchange, headers, settings.maxBodyBytes());
    } catch (Exchanges.TooLarge e) {
      Exchanges.json(exchange, 413, Exchanges.error("payload_too_large",
          "the request body exceeds " + settings.maxBodyBytes() + " bytes", Json.object("limit", settings.maxBodyBytes())));
      return;
    }
    RelayMessage message;
    try {
      message = RelayMessage.parse(raw);
    } catch (MessageException e) {
      Exchanges.json(exchange, 400, Exchanges.error("invalid_request", e.getMessage(),
          Json.object("field", e.field().orElse("(body)"))));
      return;
    }
    keys.touch(k);
    if (idemKey == null) {
      respond(exchange, send(k, message));
      return;
    }
    respondIdempotently(exchange, k, idemKey, message);
  }

  private void respondIdempotently(HttpExchange exchange, ApiKeyRecord k, String idemKey, RelayMessage message)
      throws IOException, RegistryException {
    IdempotencyStore.Decision d = idempotency.begin(k.id(), idemKey, IdempotencyStore.fingerprint(message));
    if (d instanceof IdempotencyStore.Replay replay) {
      exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
      Exchanges.json(exchange, replay.status(), replay.body());
    } else if (d instanceof IdempotencyStore.InFlight) {
      Exchanges.json(exchange, 409, Exchanges.error("idempotency_conflict",
          "a request with this Idempotency-Key is still being processed; retry later"));
    } else if (d instanceof IdempotencyStore.Mismatch) {
      Exchanges.json(exchange, 422, Exchanges.error("idempotency_key_reused",
          "this Idempotency-Key was used with a different request body"));
    } else {
      if (((IdempotencyStore.Proceed) d).tookOverFromCrash()) {
        Logger.warn("key {}: resending a message whose first attempt was interrupted by a relay crash", k.id());
      }
      Response r;
      try {
        r = send(k, message);
      } catch (RuntimeException e) {
        // Unknown whether the provider took it: free the key as a crash would, so the retry is not 409 for 24 h.
        idempotency.release(k.id(), idemKey);
        throw e;
      }
      if (r.retryable()) {
        idempotency.release(k.id(), idemKey);
      } else {
        idempotency.complete(k.id(), idemKey, r.status(), r.body());
      }
      respond(exchange, r);
    }
  }

  private static void respond(HttpExchange exchange, Response r) throws IOException {
    if (r.retryAfter().isPresent()) {
      exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, r.retryAfter().get().toSeconds())));
    }
    Exchanges.json(exchange, r.status(), r.body());
  }

  private record Response(int status, String body, boolean retryable, Optional<Duration> retryAfter) {}

  private Response send(ApiKeyRecord k, RelayMessage message) {
    String id = "msg_" + Base62.random(random, 20);
    // One line per message, once its outcome is known (the upstream call is bounded by its timeout).
    SmsSender.Outcome outcome = sender.send(message);
    if (outcome instanceof SmsSender.Accepted a) {
      Logger.info("{}: sent for key {} (device {})", id, k.id(), k.deviceId());
      return new Response(201, Json.write(Json.object("id", id, "status", "sent", "upstream_id", a.upstreamId())),
          false, Optional.empty());
    }
    if (outcome instanceof SmsSender.Rejected r) {
      Logger.info("{}: rejected by the SMS API (code {}) for key {} (device {})", id, r.code(), k.id(), k.deviceId());
      return new Response(422, Exchanges.error("upstream_rejected",
          "the SMS provider refused this message; retrying will not help", Json.object("upstream_code", r.code())),
          false, Optional.empty());
    }
    SmsSender.Unavailable u = (SmsSender.Unavailable) outcome;
    Logger.warn("{}: not sent for key {} (device {}), {}", id, k.id(), k.deviceId(), u.detail());
    int status = u.badGateway() ? 502 : 503;
    return new Response(status, Exchanges.error(u.badGateway() ? "upstream_error" : "upstream_unavailable",
        "the SMS provider did not take the message; retry later"), true, Optional.of(u.retryAfter()));
  }

  private Optional<ApiKeyRecord> authenticate(HttpExchange exchange, Headers headers)
      throws IOException, RegistryException {
    String header = headers.getFirst("Authorization");
    if (header == null) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"holdfast\"");
      Exchanges.json(exchange, 401, Exchanges.error("missing_token", "send Authorization: Bearer <API key>"));
      return Optional.empty();
    }
    String presented = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    Verification v = keys.verify(presented);
    if (v.valid()) {
      return v.key();
    }
    Logger.info("refused an API key{}: {}", presented.length() > 11 && v.reason() != Verification.Reason.MALFORMED
        ? " claiming id " + presented.substring(3, 11) : "", v.reason());
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    Exchanges.json(exchange, 401, Exchanges.error("invalid_token",
        "the API key is malformed, unknown, expired or revoked"));
    return Optional.empty();
  }
}
