package dev.holdfast.agent.outbox.log;

import dev.holdfast.protocol.crypto.Aead;
import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A batch: what one group commit writes. A 28-byte clear header (magic "HFOB", segment number,
 * sequence, sealed length, CRC32C of those) and the entries sealed together with AES-256-GCM. The
 * associated data binds the batch to its place: segment number, offset in the file and sequence,
 * so a batch copied, moved or replayed elsewhere no longer opens, and no batch can be taken out of
 * the middle of a segment (the ones behind it would move). Entries inside: type (1 byte), length
 * (varint), bytes.
 */
final class BatchCodec {
  static final int HEADER = 28;
  private static final int MAGIC = 0x48464f42; // "HFOB"
  private static final byte[] DOMAIN = "holdfast/outbox/v1".getBytes(StandardCharsets.US_ASCII);

  private final Aead aead;

  BatchCodec(Aead aead) {
    this.aead = aead;
  }

  /** A batch's clear header. */
  record Header(long segment, long sequence, int sealedLength) {
    int length() {
      return HEADER + sealedLength;
    }
  }

  /** An encoded batch and where each entry's bytes lie in its plaintext. */
  record Encoded(byte[] bytes, byte[] plaintext, int[] entryOffsets) {}

  static int sizeOf(List<LogEntry> entries) {
    int plain = 0;
    for (LogEntry e : entries) {
      plain += e.encodedSize();
    }
    return HEADER + Aead.OVERHEAD + plain;
  }

  Encoded encode(long segment, int offset, long sequence, List<LogEntry> entries) {
    Wire.Writer plain = new Wire.Writer(sizeOf(entries));
    int[] offsets = new int[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      plain.u8(e.type()).varint(e.body().length);
      offsets[i] = plain.size();
      plain.raw(e.body(), 0, e.body().length);
    }
    byte[] plaintext = plain.toByteArray();
    byte[] sealed = aead.seal(plaintext, aad(segment, offset, sequence));
    ByteBuffer out = ByteBuffer.allocate(HEADER + sealed.length);
    out.putInt(MAGIC).putLong(segment).putLong(sequence).putInt(sealed.length);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, 24);
    out.putInt((int) crc.getValue());
    out.put(sealed);
    return new Encoded(out.array(), plaintext, offsets);
  }

  /** The header at {@code at} if it is whole, checked and of {@code segment}; else {@code null}. */
  static Header header(byte[] buf, int at, int limit, long segment) {
    if (at < 0 || at + HEADER > limit) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(buf, at, HEADER);
    if (b.getInt() != MAGIC) {
      return null;
    }
    long seg = b.getLong();
    long sequence = b.getLong();
    int sealedLength = b.getInt();
    CRC32C crc = new CRC32C();
    crc.update(buf, at, 24);
    if (b.getInt() != (int) crc.getValue() || seg != segment || sealedLength < Aead.OVERHEAD) {
      return null;
    }
    return new Header(seg, sequence, sealedLength);
  }

  /** The plaintext of the batch at {@code offset} whose whole bytes start at {@code buf[at]}. */
  byte[] open(Header h, int offset, byte[] buf, int at) throws AuthenticationFailedException {
    byte[] sealed = java.util.Arrays.copyOfRange(buf, at + HEADER, at + HEADER + h.sealedLength());
    return aead.open(sealed, aad(h.segment(), offset, h.sequence()));
  }

  private static byte[] aad(long segment, int offset, long sequence) {
    return ByteBuffer.allocate(DOMAIN.length + 1 + 8 + 4 + 8).put(DOMAIN).put((byte) 0).putLong(segment)
        .putInt(offset).putLong(sequence).array();
  }

  /** One entry of a plaintext: its type and where its bytes are. */
  record Parsed(int type, int offset, int length) {}

  static List<Parsed> entries(byte[] plaintext) throws Wire.Malformed {
    List<Parsed> out = new ArrayList<>();
    Wire.Reader r = new Wire.Reader(plaintext);
    while (r.remaining() > 0) {
      int type = r.u8();
      int length = r.length();
      out.add(new Parsed(type, r.position(), length));
      r.skip(length);
    }
    return out;
  }
}
