package dev.holdfast.vault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * The binary form of every sealed record of both programs, written field by field: a version byte
 * first; integers big-endian; byte strings and UTF-8 strings with a 4-byte length (no 64 KiB cap);
 * instants as epoch milliseconds; optional values behind a presence byte; enum constants by their
 * {@link StoredNames stored name}. Explicit on purpose: no reflection, no ordinals, so a record reads the same in
 * every JVM and after every refactoring. {@link RecordReader} reads it back. The buffer is wiped
 * once its bytes are taken, so a record holding a key leaves no copy behind in this writer.
 */
public final class RecordWriter {
  private final Buffer buf = new Buffer();

  /** @param version the record's format version, 1 to 255 */
  public RecordWriter(int version) {
    if (version < 1 || version > 255) {
      throw new IllegalArgumentException("a record version is 1 to 255, got " + version);
    }
    u8(version);
  }

  public RecordWriter u8(int v) {
    buf.write(v);
    return this;
  }

  public RecordWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  public RecordWriter i32(int v) {
    buf.write(v >>> 24);
    buf.write(v >>> 16);
    buf.write(v >>> 8);
    buf.write(v);
    return this;
  }

  public RecordWriter i64(long v) {
    i32((int) (v >>> 32));
    return i32((int) v);
  }

  public RecordWriter bytes(byte[] v) {
    i32(v.length);
    buf.write(v, 0, v.length);
    return this;
  }

  /** Like {@link #bytes}, then overwrites {@code v}: for key material the caller no longer needs. */
  public RecordWriter secretBytes(byte[] v) {
    bytes(v);
    Arrays.fill(v, (byte) 0);
    return this;
  }

  public RecordWriter str(String v) {
    return bytes(v.getBytes(StandardCharsets.UTF_8));
  }

  public RecordWriter instant(Instant v) {
    return i64(v.toEpochMilli());
  }

  public RecordWriter duration(Duration v) {
    return i64(v.toMillis());
  }

  /** An enum constant by its stored name. */
  public <E extends Enum<E>> RecordWriter name(StoredNames<E> names, E v) {
    return str(names.nameOf(v));
  }

  public RecordWriter optStr(Optional<String> v) {
    bool(v.isPresent());
    return v.isPresent() ? str(v.get()) : this;
  }

  public RecordWriter optInstant(Optional<Instant> v) {
    bool(v.isPresent());
    return v.isPresent() ? instant(v.get()) : this;
  }

  /** A count, then each string, in the collection's order. */
  public RecordWriter strings(Collection<String> v) {
    i32(v.size());
    v.forEach(this::str);
    return this;
  }

  /** The record; the writer's own buffer is wiped and must not be used again. */
  public byte[] toBytes() {
    byte[] out = buf.toByteArray();
    buf.wipe();
    return out;
  }

  /** A buffer whose array can be overwritten once its copy is taken. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(128);
    }

    synchronized void wipe() {
      Arrays.fill(buf, (byte) 0);
      reset();
    }
  }
}
