package dev.holdfast.agent.local;

import dev.holdfast.agent.config.Values;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.OutboxException;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.agent.outbox.RecordSummary;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Carries out one local API request against the outbox and returns the response, both as JSON
 * maps. Every failure is a response {@code {"ok":false,"error":CODE,"message":...}}, never an
 * exception. The protocol is documented in docs/local-api.md.
 */
public final class LocalApiHandler {
  private final Outbox outbox;
  private final Supplier<Map<String, Object>> identity;

  public LocalApiHandler(Outbox outbox) {
    this(outbox, () -> null);
  }

  /** @param identity what {@code status} shows of the device identity (ids and dates, never keys) */
  public LocalApiHandler(Outbox outbox, Supplier<Map<String, Object>> identity) {
    this.outbox = outbox;
    this.identity = identity;
  }

  /** Thrown inside the handler for a malformed request. */
  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  public Map<String, Object> handle(Map<String, Object> request) {
    try {
      String op = string(request, "op").orElseThrow(() -> new BadRequest("missing \"op\""));
      return switch (op) {
        case "send" -> ok("id", outbox.enqueue(message(request)).toString());
        case "list" -> list(request);
        case "show" -> show(id(request));
        case "retry" -> retry(request);
        case "drop" -> {
          outbox.drop(id(request));
          yield ok("dropped", 1);
        }
        case "status" -> {
          Map<String, Object> out = ok("status", RecordJson.status(outbox.status()));
          out.put("identity", identity.get());
          yield out;
        }
        default -> throw new BadRequest("unknown op \"" + op + "\" (send, list, show, retry, drop, status)");
      };
    } catch (BadRequest e) {
      return error("bad_request", e.getMessage());
    } catch (OutboxException e) {
      return error(e.reason().name().toLowerCase(Locale.ROOT), e.getMessage());
    }
  }

  /**
   * The most records one {@code list} answers with (its line stays well under the 1 MiB limit);
   * more are fetched page by page with {@code after}.
   */
  static final int LIST_LIMIT = 1000;
  static final int LIST_MAX = 1000;

  private Map<String, Object> list(Map<String, Object> request) throws BadRequest {
    Optional<RecordId> after = request.containsKey("after") ? Optional.of(id(request, "after")) : Optional.empty();
    int limit = LIST_LIMIT;
    Object l = request.get("limit");
    if (l != null) {
      if (!(l instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 1
          || n.intValue() > LIST_MAX) {
        throw new BadRequest("\"limit\" must be a whole number from 1 to " + LIST_MAX);
      }
      limit = n.intValue();
    }
    List<RecordSummary> page = outbox.list(flag(request, "dead"), after, limit + 1);
    Map<String, Object> out = ok("records", page.stream().limit(limit).map(RecordJson::summary).toList());
    out.put("more", page.size() > limit);
    return out;
  }

  private Map<String, Object> show(RecordId id) throws OutboxException {
    OutboxRecord r = outbox.find(id).orElseThrow(() -> new OutboxException(OutboxException.Reason.NOT_FOUND,
        "no outbox record " + id + " (see 'holdfast-agent outbox list' and 'outbox list --dead')"));
    return ok("record", RecordJson.full(r));
  }

  private Map<String, Object> retry(Map<String, Object> request) throws BadRequest, OutboxException {
    if (flag(request, "dead")) {
      return ok("retried", outbox.retryAllDead());
    }
    outbox.retry(id(request));
    return ok("retried", 1);
  }

  private static NewMessage message(Map<String, Object> r) throws BadRequest {
    Channel channel;
    try {
      channel = Channel.fromWire(string(r, "channel").orElseThrow(() -> new BadRequest("missing \"channel\"")));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
    String destinationField = switch (channel) {
      case SMS -> "to";
      case WEBHOOK -> "url";
      case MQTT -> "topic";
    };
    String destination = string(r, destinationField)
        .orElseThrow(() -> new BadRequest("missing \"" + destinationField + "\" for channel " + channel.wireName()));
    byte[] body = body(r);
    String contentType = channel == Channel.SMS ? NewMessage.SMS_CONTENT_TYPE
        : string(r, "content_type").orElse("application/json");
    Optional<java.time.Duration> ttl;
    try {
      ttl = string(r, "ttl").map(Values::duration);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("\"ttl\" must be " + e.getMessage());
    }
    return new NewMessage(channel, destination, body, contentType, string(r, "idempotency_key"), ttl);
  }

  private static byte[] body(Map<String, Object> r) throws BadRequest {
    Optional<String> text = string(r, "body");
    Optional<String> base64 = string(r, "body_base64");
    if (text.isPresent() == base64.isPresent()) {
      throw new BadRequest("give exactly one of \"body\" (text) or \"body_base64\"");
    }
    if (text.isPresent()) {
      return text.get().getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(base64.get());
    } catch (IllegalArgumentException e) {
      throw new BadRequest("\"body_base64\" is not valid base64");
    }
  }

  private static RecordId id(Map<String, Object> r) throws BadRequest {
    return id(r, "id");
  }

  private static RecordId id(Map<String, Object> r, String field) throws BadRequest {
    try {
      return RecordId.parse(string(r, field).orElseThrow(() -> new BadRequest("missing \"" + field + "\"")));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  private static Optional<String> string(Map<String, Object> r, String field) throws BadRequest {
    Object v = r.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new BadRequest("\"" + field + "\" must be a string");
    }
    return Optional.of(s);
  }

  private static boolean flag(Map<String, Object> r, String field) throws BadRequest {
    Object v = r.get(field);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw new BadRequest("\"" + field + "\" must be true or false");
    }
    return b;
  }

  static Map<String, Object> ok(String key, Object value) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ok", true);
    out.put(key, value);
    return out;
  }

  public static Map<String, Object> error(String code, String message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ok", false);
    out.put("error", code);
    out.put("message", message);
    return out;
  }

  /** For callers that get numbers back from JSON. */
  public static long number(Object value) {
    return value instanceof BigDecimal b ? b.longValueExact() : ((Number) value).longValue();
  }

  static List<String> ops() {
    return List.of("send", "list", "show", "retry", "drop", "status");
  }
}
