package dev.holdfast.agent.local;

import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.outbox.Outbox;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Answers one local API request line: its JSON read into a {@link LocalRequest} ({@link LocalJson}),
 * carried out on this process's outbox ({@link InProcessOutboxPort}), the {@link LocalResponse}
 * written back as JSON. Every failure is an answer {@code {"ok":false,"error":CODE,"message":...}},
 * never an exception. The protocol is documented in docs/local-api.md.
 *
 * <p>Operations of other features (the GPIO checks) are not the outbox's: they come as {@code more},
 * by {@code op}, each answering with {@link #ok} or {@link #error} and never throwing.
 */
public final class LocalApiHandler {
  private final OutboxPort port;
  private final Map<String, Function<Map<String, Object>, Map<String, Object>>> more;

  public LocalApiHandler(Outbox outbox) {
    this(outbox, () -> new IdentityStatus(false, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty()));
  }

  /** @param identity what {@code status} shows of the device identity (ids and dates, never keys) */
  public LocalApiHandler(Outbox outbox, Supplier<IdentityStatus> identity) {
    this(new InProcessOutboxPort(outbox, identity), Map.of());
  }

  /** @param more operations other features add, by {@code op} */
  public LocalApiHandler(OutboxPort port, Map<String, Function<Map<String, Object>, Map<String, Object>>> more) {
    this.port = port;
    this.more = Map.copyOf(more);
  }

  public Map<String, Object> handle(Map<String, Object> request) {
    Function<Map<String, Object>, Map<String, Object>> feature =
        request.get("op") instanceof String op ? more.get(op) : null;
    if (feature != null) {
      return feature.apply(request);
    }
    LocalResponse response;
    try {
      response = LocalJson.request(request, more.keySet().stream().sorted().collect(Collectors.toList()))
          .applyTo(port);
    } catch (LocalApiException e) {
      response = new LocalResponse.Failed(e.error(), e.getMessage());
    } catch (IOException e) {
      response = new LocalResponse.Failed(LocalError.INTERNAL, e.getMessage());
    }
    return LocalJson.toJson(response);
  }

  /** A refusal: {@code {"ok":false,"error":CODE,"message":...}}; also the answer to a line that is not a request. */
  public static Map<String, Object> error(LocalError error, String message) {
    return LocalJson.toJson(new LocalResponse.Failed(error, message));
  }

  /** A feature's success: {@code {"ok":true,key:value}}, to which it may add fields. */
  public static Map<String, Object> ok(String key, Object value) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("ok", true);
    out.put(key, value);
    return out;
  }

  /** For callers that get numbers back from JSON. */
  public static long number(Object value) {
    return LocalJson.number(value);
  }
}
