package dev.holdfast.vault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a {@link RecordWriter} wrote, in the same order. A record that is short, has a length
 * past its end, or names an enum constant this program does not know is an {@link
 * IllegalStateException} naming the record; the bytes were authenticated by the vault before, so
 * that means a program bug or a record from a newer program, never tampering.
 */
public final class RecordReader {
  private final byte[] bytes;
  private final String what;
  private final int version;
  private int pos;

  private RecordReader(byte[] bytes, String what) {
    this.bytes = bytes;
    this.what = what;
    this.version = u8();
  }

  /** Starts reading {@code bytes}, a record of kind {@code what} (for messages); reads the version. */
  public static RecordReader of(byte[] bytes, String what) {
    return new RecordReader(bytes, what);
  }

  /** The record's format version. */
  public int version() {
    return version;
  }

  /** This reader, when the record has version {@code expected}. */
  public RecordReader expect(int expected) {
    if (version != expected) {
      throw new IllegalStateException(what + " record has version " + version + ", expected " + expected);
    }
    return this;
  }

  private void need(int n) {
    if (n < 0 || n > bytes.length - pos) {
      throw new IllegalStateException(what + " record is truncated or malformed");
    }
  }

  public int u8() {
    need(1);
    return bytes[pos++] & 0xff;
  }

  public boolean bool() {
    return u8() != 0;
  }

  public int i32() {
    need(4);
    int v = ((bytes[pos] & 0xff) << 24) | ((bytes[pos + 1] & 0xff) << 16) | ((bytes[pos + 2] & 0xff) << 8)
        | (bytes[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  public long i64() {
    long high = i32();
    return (high << 32) | (i32() & 0xffff_ffffL);
  }

  public byte[] bytes() {
    int n = i32();
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(bytes, pos, out, 0, n);
    pos += n;
    return out;
  }

  public String str() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  public Instant instant() {
    return Instant.ofEpochMilli(i64());
  }

  public Duration duration() {
    return Duration.ofMillis(i64());
  }

  /** The constant whose stored name was written. */
  public <E extends Enum<E>> E name(StoredNames<E> names) {
    String stored = str();
    return names.constantOf(stored).orElseThrow(() -> new IllegalStateException(what + " record holds '" + stored
        + "', which is no " + names.type().getSimpleName() + " this program knows (written by a newer version?)"));
  }

  public Optional<String> optStr() {
    return bool() ? Optional.of(str()) : Optional.empty();
  }

  public Optional<Instant> optInstant() {
    return bool() ? Optional.of(instant()) : Optional.empty();
  }

  public List<String> strings() {
    int n = i32();
    need(n); // every string takes at least its 4-byte length
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(str());
    }
    return out;
  }

  /** Whether the record has bytes left (a newer writer may append optional fields). */
  public boolean hasMore() {
    return pos < bytes.length;
  }
}
