package dev.holdfast.agent.local;

import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.local.Views.ChannelReport;
import dev.holdfast.agent.local.Views.RecordDetail;
import dev.holdfast.agent.local.Views.RecordSummary;
import dev.holdfast.agent.local.Views.StatusReport;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.common.time.Durations;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one JSON form of the local API (docs/local-api.md): requests and answers both ways, for the
 * server that reads requests and writes answers and the client that does the opposite. A request
 * that does not map is a {@link LocalError#BAD_REQUEST} naming the field.
 */
public final class LocalJson {
  private static final List<String> OPS = List.of("send", "list", "show", "retry", "drop", "status");

  private LocalJson() {}

  // ---- requests

  public static Map<String, Object> toJson(LocalRequest request) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (request instanceof LocalRequest.Send s) {
      NewMessage n = s.message();
      m.put("op", "send");
      m.put("channel", n.channel().wireName());
      m.put(destinationField(n.channel()), n.destination());
      if (n.channel() != Channel.SMS) {
        m.put("content_type", n.contentType());
      }
      m.put("body_base64", Base64.getEncoder().encodeToString(n.body()));
      n.idempotencyKey().ifPresent(k -> m.put("idempotency_key", k));
      n.ttl().ifPresent(t -> m.put("ttl", Durations.format(t)));
    } else if (request instanceof LocalRequest.ListRecords l) {
      m.put("op", "list");
      m.put("dead", l.dead());
      m.put("limit", l.limit());
      l.after().ifPresent(a -> m.put("after", a.toString()));
    } else if (request instanceof LocalRequest.Show s) {
      m.put("op", "show");
      m.put("id", s.id().toString());
    } else if (request instanceof LocalRequest.Retry r) {
      m.put("op", "retry");
      m.put("id", r.id().toString());
    } else if (request instanceof LocalRequest.RetryDead) {
      m.put("op", "retry");
      m.put("dead", true);
    } else if (request instanceof LocalRequest.Drop d) {
      m.put("op", "drop");
      m.put("id", d.id().toString());
    } else {
      m.put("op", "status");
    }
    return m;
  }

  public static LocalRequest request(Map<String, Object> r) throws LocalApiException {
    return request(r, List.of());
  }

  /** @param moreOps the other features' operations this server also knows, named when an op is unknown */
  public static LocalRequest request(Map<String, Object> r, List<String> moreOps) throws LocalApiException {
    String op = string(r, "op").orElseThrow(() -> badRequest("missing \"op\""));
    return switch (op) {
      case "send" -> new LocalRequest.Send(message(r));
      case "list" -> new LocalRequest.ListRecords(flag(r, "dead"),
          r.containsKey("after") ? Optional.of(id(r, "after")) : Optional.empty(), limit(r));
      case "show" -> new LocalRequest.Show(id(r));
      case "retry" -> flag(r, "dead") ? new LocalRequest.RetryDead() : new LocalRequest.Retry(id(r));
      case "drop" -> new LocalRequest.Drop(id(r));
      case "status" -> new LocalRequest.Status();
      default -> {
        List<String> known = new ArrayList<>(OPS);
        known.addAll(moreOps);
        throw badRequest("unknown op \"" + op + "\" (" + String.join(", ", known) + ")");
      }
    };
  }

  private static String destinationField(Channel channel) {
    return switch (channel) {
      case SMS -> "to";
      case WEBHOOK -> "url";
      case MQTT -> "topic";
    };
  }

  private static NewMessage message(Map<String, Object> r) throws LocalApiException {
    Channel channel;
    try {
      channel = Channel.fromWire(string(r, "channel").orElseThrow(() -> badRequest("missing \"channel\"")));
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage());
    }
    String field = destinationField(channel);
    String destination = string(r, field)
        .orElseThrow(() -> badRequest("missing \"" + field + "\" for channel " + channel.wireName()));
    String contentType = channel == Channel.SMS ? NewMessage.SMS_CONTENT_TYPE
        : string(r, "content_type").orElse("application/json");
    Optional<Duration> ttl;
    try {
      ttl = string(r, "ttl").map(Durations::parse);
    } catch (IllegalArgumentException e) {
      throw badRequest("\"ttl\" must be " + e.getMessage());
    }
    return new NewMessage(channel, destination, body(r), contentType, string(r, "idempotency_key"), ttl);
  }

  private static byte[] body(Map<String, Object> r) throws LocalApiException {
    Optional<String> text = string(r, "body");
    Optional<String> base64 = string(r, "body_base64");
    if (text.isPresent() == base64.isPresent()) {
      throw badRequest("give exactly one of \"body\" (text) or \"body_base64\"");
    }
    if (text.isPresent()) {
      return text.get().getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(base64.get());
    } catch (IllegalArgumentException e) {
      throw badRequest("\"body_base64\" is not valid base64");
    }
  }

  private static int limit(Map<String, Object> r) throws LocalApiException {
    Object l = r.get("limit");
    if (l == null) {
      return LocalRequest.ListRecords.MAX_LIMIT;
    }
    if (!(l instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
        || n.doubleValue() > LocalRequest.ListRecords.MAX_LIMIT) {
      throw badRequest("\"limit\" must be a whole number from 1 to " + LocalRequest.ListRecords.MAX_LIMIT);
    }
    return n.intValue();
  }

  private static RecordId id(Map<String, Object> r) throws LocalApiException {
    return id(r, "id");
  }

  private static RecordId id(Map<String, Object> r, String field) throws LocalApiException {
    try {
      return RecordId.parse(string(r, field).orElseThrow(() -> badRequest("missing \"" + field + "\"")));
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage());
    }
  }

  // ---- answers

  public static Map<String, Object> toJson(LocalResponse response) {
    if (response instanceof LocalResponse.Failed f) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", false);
      m.put("error", f.error().wire());
      m.put("message", f.message());
      return m;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", true);
    if (response instanceof LocalResponse.Sent s) {
      m.put("id", s.id().toString());
    } else if (response instanceof LocalResponse.Listed l) {
      m.put("records", l.records().stream().map(LocalJson::toJson).toList());
      m.put("more", l.more());
    } else if (response instanceof LocalResponse.Shown s) {
      m.put("record", toJson(s.record()));
    } else if (response instanceof LocalResponse.Retried r) {
      m.put("retried", r.count());
    } else if (response instanceof LocalResponse.Dropped) {
      m.put("dropped", 1);
    } else {
      OutboxPort.Status s = ((LocalResponse.Status) response).status();
      m.put("status", toJson(s.outbox()));
      m.put("identity", toJson(s.identity()));
      m.putAll(s.runtime());
    }
    return m;
  }

  /**
   * The answer to a request of type {@code expected}; a refusal is thrown as what it is, and an
   * answer that is not what the request asks for is an {@link LocalError#INTERNAL} failure.
   */
  public static <R extends LocalResponse> R response(Map<String, Object> m, Class<R> expected)
      throws LocalApiException {
    try {
      if (!Boolean.TRUE.equals(m.get("ok"))) {
        throw new LocalApiException(LocalError.fromWire(String.valueOf(m.get("error"))),
            String.valueOf(m.get("message")));
      }
      LocalResponse r;
      if (expected == LocalResponse.Sent.class) {
        r = new LocalResponse.Sent(RecordId.parse(text(m, "id")));
      } else if (expected == LocalResponse.Listed.class) {
        List<RecordSummary> records = new ArrayList<>();
        for (Object o : (List<?>) m.get("records")) {
          records.add(summary(object(o)));
        }
        r = new LocalResponse.Listed(records, Boolean.TRUE.equals(m.get("more")));
      } else if (expected == LocalResponse.Shown.class) {
        r = new LocalResponse.Shown(detail(object(m.get("record"))));
      } else if (expected == LocalResponse.Retried.class) {
        r = new LocalResponse.Retried((int) number(m.get("retried")));
      } else if (expected == LocalResponse.Dropped.class) {
        r = new LocalResponse.Dropped();
      } else {
        Map<String, Object> runtime = new LinkedHashMap<>(m);
        runtime.keySet().removeAll(List.of("ok", "status", "identity"));
        r = new LocalResponse.Status(new OutboxPort.Status(status(object(m.get("status"))),
            identity(object(m.get("identity"))), runtime));
      }
      return expected.cast(r);
    } catch (RuntimeException e) {
      throw new LocalApiException(LocalError.INTERNAL, "the agent answered something this client cannot read ("
          + e.getClass().getSimpleName() + "); are the agent and this command the same version?");
    }
  }

  // ---- views

  public static Map<String, Object> toJson(RecordSummary r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id().toString());
    m.put("channel", r.channel().wireName());
    m.put("bytes", r.bytes());
    m.put("created", r.created().toString());
    m.put("expires", r.expires().toString());
    m.put("attempts", r.attempts());
    m.put("next_attempt", r.nextAttempt().toString());
    m.put("dead", r.dead());
    m.put("last_error", r.lastError().orElse(null));
    return m;
  }

  /** The whole record: {@code body} when it is UTF-8 text, else {@code body_base64}. */
  public static Map<String, Object> toJson(RecordDetail r) {
    Map<String, Object> m = toJson(r.summary());
    m.put("destination", r.destination());
    m.put("idempotency_key", r.idempotencyKey());
    m.put("content_type", r.contentType());
    try {
      m.put("body", StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(r.body())).toString());
    } catch (CharacterCodingException e) {
      m.put("body_base64", Base64.getEncoder().encodeToString(r.body()));
    }
    return m;
  }

  public static Map<String, Object> toJson(StatusReport s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queued", s.queued());
    m.put("dead", s.dead());
    m.put("bytes", s.bytes());
    m.put("max_records", s.maxRecords());
    m.put("max_bytes", s.maxBytes());
    m.put("when_full", s.whenFull());
    m.put("oldest_age_seconds", s.oldestAge().map(Duration::toSeconds).orElse(null));
    Map<String, Object> channels = new LinkedHashMap<>();
    s.channels().forEach((c, r) -> {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("delivered", r.delivered());
      one.put("last_delivery", r.lastDelivery().map(Object::toString).orElse(null));
      one.put("last_error", r.lastError().orElse(null));
      one.put("last_error_at", r.lastErrorAt().map(Object::toString).orElse(null));
      one.put("credentials_rejected_until", r.credentialsRejectedUntil().map(Object::toString).orElse(null));
      one.put("dropped_when_full", r.droppedWhenFull());
      channels.put(c.wireName(), one);
    });
    m.put("channels", channels);
    return m;
  }

  public static Map<String, Object> toJson(IdentityStatus i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enrolled", i.enrolled());
    i.deviceId().ifPresent(v -> m.put("device_id", v));
    i.certificateNotAfter().ifPresent(v -> m.put("certificate_not_after", v.toString()));
    i.apiKeyId().ifPresent(v -> m.put("api_key_id", v));
    i.apiKeyExpiresAt().ifPresent(v -> m.put("api_key_expires_at", v.toString()));
    if (i.enrolled()) {
      m.put("scopes", i.scopes());
    }
    i.enrolledAt().ifPresent(v -> m.put("enrolled_at", v.toString()));
    i.pendingKeySince().ifPresent(v -> m.put("pending_key_since", v.toString()));
    i.error().ifPresent(v -> m.put("error", v));
    return m;
  }

  private static RecordSummary summary(Map<?, ?> m) {
    return new RecordSummary(RecordId.parse(text(m, "id")), Channel.fromWire(text(m, "channel")),
        (int) number(m.get("bytes")), Instant.parse(text(m, "created")), Instant.parse(text(m, "expires")),
        (int) number(m.get("attempts")), Instant.parse(text(m, "next_attempt")), Boolean.TRUE.equals(m.get("dead")),
        optText(m, "last_error"));
  }

  private static RecordDetail detail(Map<?, ?> m) {
    byte[] body = m.get("body") instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
        : Base64.getDecoder().decode(text(m, "body_base64"));
    return new RecordDetail(summary(m), text(m, "destination"), text(m, "idempotency_key"), text(m, "content_type"),
        body);
  }

  private static StatusReport status(Map<?, ?> m) {
    Map<Channel, ChannelReport> channels = new LinkedHashMap<>();
    object(m.get("channels")).forEach((name, value) -> {
      Map<?, ?> c = object(value);
      channels.put(Channel.fromWire(name.toString()), new ChannelReport(number(c.get("delivered")),
          optText(c, "last_delivery").map(Instant::parse), optText(c, "last_error"),
          optText(c, "last_error_at").map(Instant::parse), optText(c, "credentials_rejected_until").map(Instant::parse),
          number(c.get("dropped_when_full"))));
    });
    return new StatusReport((int) number(m.get("queued")), (int) number(m.get("dead")), number(m.get("bytes")),
        (int) number(m.get("max_records")), number(m.get("max_bytes")), text(m, "when_full"),
        Optional.ofNullable(m.get("oldest_age_seconds")).map(o -> Duration.ofSeconds(number(o))), channels);
  }

  private static IdentityStatus identity(Map<?, ?> m) {
    List<String> scopes = m.get("scopes") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    return new IdentityStatus(Boolean.TRUE.equals(m.get("enrolled")), optText(m, "device_id"),
        optText(m, "certificate_not_after").map(Instant::parse), optText(m, "api_key_id"),
        optText(m, "api_key_expires_at").map(Instant::parse), scopes, optText(m, "enrolled_at").map(Instant::parse),
        optText(m, "pending_key_since").map(Instant::parse), optText(m, "error"));
  }

  // ---- fields

  private static LocalApiException badRequest(String message) {
    return new LocalApiException(LocalError.BAD_REQUEST, message);
  }

  private static Optional<String> string(Map<String, Object> r, String field) throws LocalApiException {
    Object v = r.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw badRequest("\"" + field + "\" must be a string");
    }
    return Optional.of(s);
  }

  private static boolean flag(Map<String, Object> r, String field) throws LocalApiException {
    Object v = r.get(field);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw badRequest("\"" + field + "\" must be true or false");
    }
    return b;
  }

  private static Map<?, ?> object(Object o) {
    return (Map<?, ?>) o;
  }

  private static String text(Map<?, ?> m, String field) {
    return (String) java.util.Objects.requireNonNull(m.get(field), field);
  }

  private static Optional<String> optText(Map<?, ?> m, String field) {
    return Optional.ofNullable((String) m.get(field));
  }

  /** A JSON number (the parser reads them as {@link BigDecimal}) as a long. */
  public static long number(Object value) {
    return value instanceof BigDecimal b ? b.longValueExact() : ((Number) value).longValue();
  }
}
