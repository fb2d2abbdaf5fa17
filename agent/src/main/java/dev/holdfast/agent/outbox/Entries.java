package dev.holdfast.agent.outbox;

import dev.holdfast.agent.outbox.log.LogEntry;
import dev.holdfast.agent.outbox.log.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The outbox's entries in its log, each with an explicit type code and a format byte (1):
 * <ul>
 *   <li>{@code RECORD} (1): a record as enqueued — id, channel, destination, idempotency key,
 *       content type, times, body; written once, copied byte for byte when its segment is
 *       compacted;
 *   <li>{@code STATE} (2): what changed after an attempt, a dead-lettering, a retry;
 *   <li>{@code SETTLE} (3): the record is gone (delivered or dropped);
 *   <li>{@code STATS} (4): one channel's counters.
 * </ul>
 * Every record's entries carry its version, raised by each change: when entries are read back in
 * log order, copies of older entries may come after newer ones, and the highest version wins.
 * Times are milliseconds since the epoch; strings are UTF-8 with a varint length; no field has a
 * size cap below 2 GiB.
 */
final class Entries {
  private Entries() {}

  static final int RECORD = 1;
  static final int STATE = 2;
  static final int SETTLE = 3;
  static final int STATS = 4;
  private static final int FORMAT = 1;

  /** Why a record was settled. */
  enum Settled {
    DELIVERED(1),
    DROPPED(2),
    DROPPED_WHEN_FULL(3);

    final int code;

    Settled(int code) {
      this.code = code;
    }

    static Settled fromCode(int code) throws Wire.Malformed {
      for (Settled s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      throw new Wire.Malformed("unknown settle reason " + code);
    }
  }

  /** Content types written often enough to deserve a code; 0 means the type follows as text. */
  private static final String[] CONTENT_TYPES = {
      null, "application/json", NewMessage.SMS_CONTENT_TYPE, "application/octet-stream"};

  private static final int KEY_TEXT = 0;
  private static final int KEY_HEX = 1;

  // ---- RECORD ------------------------------------------------------------------------------

  static LogEntry record(OutboxRecord r, int version) {
    long created = r.created().toEpochMilli();
    Wire.Writer w = new Wire.Writer(64 + r.destination().length() + r.payload().length);
    w.u8(FORMAT).u64(r.id().value()).varint(version).u8(r.channel().code()).u8(r.dead() ? 1 : 0);
    w.string(r.destination());
    key(w, r.idempotencyKey());
    contentType(w, r.contentType());
    w.zigzag(created - r.id().epochMillis());
    w.zigzag(r.expires().toEpochMilli() - created);
    w.varint(r.attempts());
    w.zigzag(r.nextAttempt().toEpochMilli() - created);
    optionalString(w, r.lastError());
    w.bytes(r.payload());
    return new LogEntry(RECORD, w.toByteArray(), true);
  }

  /** What a RECORD entry holds, with or without its body. */
  record Image(long id, int version, Channel channel, boolean dead, String destination, String key,
      String contentType, long created, long expires, int attempts, long nextAttempt, String lastError,
      int payloadLength, byte[] payload) {

    OutboxRecord toRecord() {
      return new OutboxRecord(new RecordId(id), key, channel, destination, payload, contentType,
          Instant.ofEpochMilli(created), Instant.ofEpochMilli(expires), attempts, Instant.ofEpochMilli(nextAttempt),
          Optional.ofNullable(lastError), dead);
    }
  }

  /** Decodes a RECORD entry; with {@code withPayload} false the body is skipped, only its length kept. */
  static Image image(byte[] bytes, int offset, int length, boolean withPayload) throws Wire.Malformed {
    Wire.Reader r = new Wire.Reader(bytes, offset, length);
    format(r);
    long id = r.u64();
    int version = (int) r.varint();
    Channel channel = channel(r.u8());
    boolean dead = (r.u8() & 1) != 0;
    String destination = r.string();
    String key = key(r);
    String contentType = contentType(r);
    long created = (id >>> 16) + r.zigzag();
    long expires = created + r.zigzag();
    int attempts = (int) r.varint();
    long next = created + r.zigzag();
    String lastError = optionalString(r);
    int payloadLength = r.length();
    byte[] payload = null;
    if (withPayload) {
      payload = new byte[payloadLength];
      System.arraycopy(bytes, r.position(), payload, 0, payloadLength);
    }
    r.skip(payloadLength);
    return new Image(id, version, channel, dead, destination, key, contentType, created, expires, attempts, next,
        lastError, payloadLength, payload);
  }

  // ---- STATE -------------------------------------------------------------------------------

  /** A record's changeable part. */
  record State(long id, int version, boolean dead, long expires, int attempts, long nextAttempt,
      String lastError) {}

  static LogEntry state(State s) {
    Wire.Writer w = new Wire.Writer(48 + (s.lastError() == null ? 0 : s.lastError().length()));
    w.u8(FORMAT).u64(s.id()).varint(s.version()).u8(s.dead() ? 1 : 0).varint(s.expires()).varint(s.attempts())
        .varint(s.nextAttempt());
    optionalString(w, Optional.ofNullable(s.lastError()));
    return new LogEntry(STATE, w.toByteArray(), true);
  }

  static State state(byte[] bytes, int offset, int length) throws Wire.Malformed {
    Wire.Reader r = new Wire.Reader(bytes, offset, length);
    format(r);
    return new State(r.u64(), (int) r.varint(), (r.u8() & 1) != 0, r.varint(), (int) r.varint(), r.varint(),
        optionalString(r));
  }

  // ---- SETTLE ------------------------------------------------------------------------------

  record Settle(long id, int version, Settled reason) {}

  static LogEntry settle(long id, int version, Settled reason) {
    return new LogEntry(SETTLE, new Wire.Writer(16).u8(FORMAT).u64(id).varint(version).u8(reason.code)
        .toByteArray(), false);
  }

  static Settle settle(byte[] bytes, int offset, int length) throws Wire.Malformed {
    Wire.Reader r = new Wire.Reader(bytes, offset, length);
    format(r);
    return new Settle(r.u64(), (int) r.varint(), Settled.fromCode(r.u8()));
  }

  // ---- STATS -------------------------------------------------------------------------------

  record Stats(Channel channel, long version, ChannelStats stats) {}

  static LogEntry stats(Channel channel, long version, ChannelStats s) {
    Wire.Writer w = new Wire.Writer(64);
    w.u8(FORMAT).u8(channel.code()).varint(version).varint(s.delivered());
    optionalTime(w, s.lastDelivery());
    optionalString(w, s.lastError());
    optionalTime(w, s.lastErrorAt());
    optionalTime(w, s.heldUntil());
    w.varint(s.droppedWhenFull());
    return new LogEntry(STATS, w.toByteArray(), true);
  }

  static Stats stats(byte[] bytes, int offset, int length) throws Wire.Malformed {
    Wire.Reader r = new Wire.Reader(bytes, offset, length);
    format(r);
    Channel channel = channel(r.u8());
    long version = r.varint();
    long delivered = r.varint();
    Optional<Instant> last = optionalTime(r);
    Optional<String> error = Optional.ofNullable(optionalString(r));
    return new Stats(channel, version, new ChannelStats(delivered, last, error, optionalTime(r), optionalTime(r),
        r.varint()));
  }

  // ---- fields ------------------------------------------------------------------------------

  /** The id an entry of a record is about (RECORD, STATE, SETTLE all start the same way). */
  static long idOf(byte[] bytes, int offset, int length) throws Wire.Malformed {
    Wire.Reader r = new Wire.Reader(bytes, offset, length);
    format(r);
    return r.u64();
  }

  /** The channel a STATS entry is about. */
  static Channel channelOf(byte[] bytes, int offset, int length) throws Wire.Malformed {
    Wire.Reader r = new Wire.Reader(bytes, offset, length);
    format(r);
    return channel(r.u8());
  }

  private static void format(Wire.Reader r) throws Wire.Malformed {
    int f = r.u8();
    if (f != FORMAT) {
      throw new Wire.Malformed("entry format " + f + " (this version reads " + FORMAT + ")");
    }
  }

  private static Channel channel(int code) throws Wire.Malformed {
    try {
      return Channel.fromCode(code);
    } catch (IllegalArgumentException e) {
      throw new Wire.Malformed(e.getMessage());
    }
  }

  /** Keys that are lower-case hex (the agent's own random keys) are stored as their bytes: half the size. */
  private static void key(Wire.Writer w, String key) {
    if (key.length() % 2 == 0 && key.length() <= 128 && key.chars().allMatch(c -> (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'f'))) {
      w.u8(KEY_HEX).bytes(HexFormat.of().parseHex(key));
    } else {
      w.u8(KEY_TEXT).string(key);
    }
  }

  private static String key(Wire.Reader r) throws Wire.Malformed {
    int kind = r.u8();
    return switch (kind) {
      case KEY_HEX -> HexFormat.of().formatHex(r.bytes());
      case KEY_TEXT -> r.string();
      default -> throw new Wire.Malformed("unknown key encoding " + kind);
    };
  }

  private static void contentType(Wire.Writer w, String type) {
    for (int code = 1; code < CONTENT_TYPES.length; code++) {
      if (CONTENT_TYPES[code].equals(type)) {
        w.u8(code);
        return;
      }
    }
    w.u8(0).string(type);
  }

  private static String contentType(Wire.Reader r) throws Wire.Malformed {
    int code = r.u8();
    if (code == 0) {
      return r.string();
    }
    if (code >= CONTENT_TYPES.length) {
      throw new Wire.Malformed("unknown content type code " + code);
    }
    return CONTENT_TYPES[code];
  }

  /** Absent is 0; present is its length + 1, then the UTF-8 bytes. */
  private static void optionalString(Wire.Writer w, Optional<String> s) {
    if (s.isEmpty()) {
      w.varint(0);
    } else {
      byte[] b = s.get().getBytes(StandardCharsets.UTF_8);
      w.varint(b.length + 1L).raw(b, 0, b.length);
    }
  }

  private static String optionalString(Wire.Reader r) throws Wire.Malformed {
    long n = r.varint();
    if (n == 0) {
      return null;
    }
    if (n - 1 > r.remaining()) {
      throw new Wire.Malformed("a string longer than its entry");
    }
    byte[] b = new byte[(int) (n - 1)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) r.u8();
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Absent is 0; present is epoch millis + 1. */
  private static void optionalTime(Wire.Writer w, Optional<Instant> t) {
    w.varint(t.map(i -> i.toEpochMilli() + 1).orElse(0L));
  }

  private static Optional<Instant> optionalTime(Wire.Reader r) throws Wire.Malformed {
    long v = r.varint();
    return v == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v - 1));
  }

  /** A 64-bit hash of an idempotency key (FNV-1a of its UTF-8 bytes), for the in-memory index. */
  static long keyHash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
