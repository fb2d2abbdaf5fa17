package dev.holdfast.provisioning.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The binary encoding of registry records: fields in a fixed order, length-prefixed strings and
 * byte arrays, instants as epoch milliseconds, absent values as a flag. Explicit on purpose: no
 * reflection, so a record decodes the same in every JVM (MapDB's default serializer does not).
 */
public final class Bytes {
  private Bytes() {}

  /** Appends fields to a record. */
  public static final class Writer {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(buf);

    public Writer(int version) {
      u8(version);
    }

    public Writer u8(int v) {
      return io(() -> out.writeByte(v));
    }

    public Writer i32(int v) {
      return io(() -> out.writeInt(v));
    }

    public Writer i64(long v) {
      return io(() -> out.writeLong(v));
    }

    public Writer bool(boolean v) {
      return io(() -> out.writeBoolean(v));
    }

    public Writer bytes(byte[] v) {
      return io(() -> {
        out.writeInt(v.length);
        out.write(v);
      });
    }

    public Writer str(String v) {
      return bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    public Writer instant(Instant v) {
      return i64(v.toEpochMilli());
    }

    public Writer optInstant(Optional<Instant> v) {
      bool(v.isPresent());
      return v.isPresent() ? instant(v.get()) : this;
    }

    public Writer optStr(Optional<String> v) {
      bool(v.isPresent());
      return v.isPresent() ? str(v.get()) : this;
    }

    public Writer duration(Duration v) {
      return i64(v.toMillis());
    }

    public Writer strings(Set<String> v) {
      i32(v.size());
      v.forEach(this::str);
      return this;
    }

    public byte[] toBytes() {
      return buf.toByteArray();
    }

    private interface IoAction {
      void run() throws IOException;
    }

    private Writer io(IoAction a) {
      try {
        a.run();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Reads fields in the order they were written; a short or malformed record is an error. */
  public static final class Reader {
    private final DataInputStream in;
    private final int length;

    public Reader(byte[] bytes, int expectedVersion, String what) {
      this.in = new DataInputStream(new ByteArrayInputStream(bytes));
      this.length = bytes.length;
      int version = u8();
      if (version != expectedVersion) {
        throw new IllegalStateException(what + " record has version " + version + ", expected " + expectedVersion);
      }
    }

    public int u8() {
      return io(in::readUnsignedByte);
    }

    public int i32() {
      return io(in::readInt);
    }

    public long i64() {
      return io(in::readLong);
    }

    public boolean bool() {
      return io(in::readBoolean);
    }

    public byte[] bytes() {
      int n = i32();
      if (n < 0 || n > length) {
        throw new IllegalStateException("bad length " + n + " in record");
      }
      byte[] b = new byte[n];
      io(() -> {
        in.readFully(b);
        return null;
      });
      return b;
    }

    public String str() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    public Instant instant() {
      return Instant.ofEpochMilli(i64());
    }

    public Optional<Instant> optInstant() {
      return bool() ? Optional.of(instant()) : Optional.empty();
    }

    public Optional<String> optStr() {
      return bool() ? Optional.of(str()) : Optional.empty();
    }

    public Duration duration() {
      return Duration.ofMillis(i64());
    }

    public Set<String> strings() {
      int n = i32();
      if (n < 0 || n > length) {
        throw new IllegalStateException("bad count " + n + " in record");
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(str());
      }
      return new LinkedHashSet<>(out);
    }

    private interface IoRead<T> {
      T read() throws IOException;
    }

    private <T> T io(IoRead<T> r) {
      try {
        return r.read();
      } catch (IOException e) {
        throw new IllegalStateException("truncated record", e);
      }
    }
  }
}
