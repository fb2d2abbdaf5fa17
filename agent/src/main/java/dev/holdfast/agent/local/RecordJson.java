package dev.holdfast.agent.local;

import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.ChannelStats;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.agent.outbox.OutboxStatus;
import dev.holdfast.agent.outbox.RecordSummary;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** How records and status look in JSON. Summaries carry no destination and no body. */
public final class RecordJson {
  private RecordJson() {}

  public static Map<String, Object> summary(RecordSummary r) {
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

  /** The whole record, destination and body included: for {@code outbox show} only. */
  public static Map<String, Object> full(OutboxRecord r) {
    Map<String, Object> m = summary(r.summary());
    m.put("destination", r.destination());
    m.put("idempotency_key", r.idempotencyKey());
    m.put("content_type", r.contentType());
    try {
      m.put("body", StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(r.payload())).toString());
    } catch (CharacterCodingException e) {
      m.put("body_base64", Base64.getEncoder().encodeToString(r.payload()));
    }
    return m;
  }

  public static Map<String, Object> status(OutboxStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queued", s.queued());
    m.put("dead", s.dead());
    m.put("bytes", s.bytes());
    m.put("max_records", s.maxRecords());
    m.put("max_bytes", s.maxBytes());
    m.put("when_full", s.whenFull());
    m.put("oldest_age_seconds", s.oldestAge().map(java.time.Duration::toSeconds).orElse(null));
    Map<String, Object> channels = new LinkedHashMap<>();
    for (Channel c : Channel.values()) {
      ChannelStats cs = s.channels().get(c);
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("delivered", cs.delivered());
      one.put("last_delivery", cs.lastDelivery().map(Object::toString).orElse(null));
      one.put("last_error", cs.lastError().orElse(null));
      one.put("last_error_at", cs.lastErrorAt().map(Object::toString).orElse(null));
      one.put("credentials_rejected_until", cs.heldUntil().map(Object::toString).orElse(null));
      one.put("dropped_when_full", cs.droppedWhenFull());
      channels.put(c.wireName(), one);
    }
    m.put("channels", channels);
    return m;
  }
}
