package dev.holdfast.agent.outbox.log;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The primitive encodings of the outbox's formats: unsigned varints (LEB128), zigzag for signed
 * deltas, fixed big-endian longs, and length-prefixed bytes and UTF-8 strings with no size cap
 * beyond an int. A {@link Reader} fails with {@link Malformed} on anything short or out of range.
 */
public final class Wire {
  private Wire() {}

  /** Bytes that do not decode: the reader names what it expected. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    public Malformed(String message) {
      super(message);
    }
  }

  static int varintSize(long value) {
    int n = 1;
    for (long v = value >>> 7; v != 0; v >>>= 7) {
      n++;
    }
    return n;
  }

  /** A growing output buffer. */
  public static final class Writer {
    private byte[] buf;
    private int size;

    public Writer(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
      if (size + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
      }
    }

    public Writer u8(int v) {
      ensure(1);
      buf[size++] = (byte) v;
      return this;
    }

    public Writer u32(int v) {
      ensure(4);
      for (int s = 24; s >= 0; s -= 8) {
        buf[size++] = (byte) (v >>> s);
      }
      return this;
    }

    public Writer u64(long v) {
      ensure(8);
      for (int s = 56; s >= 0; s -= 8) {
        buf[size++] = (byte) (v >>> s);
      }
      return this;
    }

    /** An unsigned varint; negative values take ten bytes (use {@link #zigzag} for signed ones). */
    public Writer varint(long v) {
      ensure(10);
      long rest = v;
      while ((rest & ~0x7fL) != 0) {
        buf[size++] = (byte) ((rest & 0x7f) | 0x80);
        rest >>>= 7;
      }
      buf[size++] = (byte) rest;
      return this;
    }

    public Writer zigzag(long v) {
      return varint((v << 1) ^ (v >> 63));
    }

    public Writer bytes(byte[] b) {
      varint(b.length);
      return raw(b, 0, b.length);
    }

    public Writer raw(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
      return this;
    }

    public Writer string(String s) {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
      return size;
    }

    public byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }
  }

  /** Reads what a {@link Writer} wrote. */
  public static final class Reader {
    private final ByteBuffer in;

    public Reader(byte[] bytes, int offset, int length) {
      this.in = ByteBuffer.wrap(bytes, offset, length);
    }

    public Reader(byte[] bytes) {
      this(bytes, 0, bytes.length);
    }

    public int u8() throws Malformed {
      try {
        return in.get() & 0xff;
      } catch (BufferUnderflowException e) {
        throw new Malformed("ends early");
      }
    }

    public int u32() throws Malformed {
      try {
        return in.getInt();
      } catch (BufferUnderflowException e) {
        throw new Malformed("ends early");
      }
    }

    public long u64() throws Malformed {
      try {
        return in.getLong();
      } catch (BufferUnderflowException e) {
        throw new Malformed("ends early");
      }
    }

    public long varint() throws Malformed {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8();
        v |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new Malformed("a varint longer than 10 bytes");
    }

    /** A varint that must fit a non-negative int (a length or a count). */
    public int length() throws Malformed {
      long v = varint();
      if (v < 0 || v > remaining()) {
        throw new Malformed("a length of " + v + " with " + remaining() + " bytes left");
      }
      return (int) v;
    }

    public long zigzag() throws Malformed {
      long v = varint();
      return (v >>> 1) ^ -(v & 1);
    }

    public byte[] bytes() throws Malformed {
      byte[] b = new byte[length()];
      in.get(b);
      return b;
    }

    public String string() throws Malformed {
      byte[] b = bytes();
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
      } catch (CharacterCodingException e) {
        throw new Malformed("a string that is not UTF-8");
      }
    }

    public int remaining() {
      return in.remaining();
    }

    public int position() {
      return in.position();
    }

    public void skip(int n) throws Malformed {
      if (n < 0 || n > in.remaining()) {
        throw new Malformed("ends early");
      }
      in.position(in.position() + n);
    }
  }
}
