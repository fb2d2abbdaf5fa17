package dev.holdfast.agent.outbox.log;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * One segment file: {@code <16 hex digits>.seg}, preallocated to its capacity so that appends
 * never change its size or its block map (an fdatasync then flushes only the data), with a
 * 64-byte header: magic "HFOS", format, segment number, capacity, the oldest live segment when it
 * was made, CRC32C. Batches follow from offset 64.
 */
final class Segment {
  static final int HEADER = 64;
  static final int FORMAT = 1;
  private static final int MAGIC = 0x48464f53; // "HFOS"
  private static final int CHECKED = 4 + 2 + 2 + 8 + 4 + 8;

  final long number;
  final Path path;
  final int capacity;
  final long firstLive;
  /** Where the next batch goes (the end of the valid batches). */
  int end = HEADER;
  /** Entries in this segment still held, and their bytes. */
  int held;
  long heldBytes;
  /** The segment the last batch hands over to ({@code ROLL}), or -1. */
  long rolledTo = -1;
  int batches;
  /** Open for appending: only the active segment, only on the committing thread. */
  FileChannel writer;
  /** Open for reading, by any thread; reopened if an interrupted reader closed it. */
  volatile FileChannel reader;

  Segment(long number, Path path, int capacity, long firstLive) {
    this.number = number;
    this.path = path;
    this.capacity = capacity;
    this.firstLive = firstLive;
  }

  static String name(long number) {
    return HexFormat.of().toHexDigits(number) + ".seg";
  }

  /** The segment number a file name stands for, if it is a segment's name. */
  static OptionalLong numberOf(Path file) {
    String n = file.getFileName().toString();
    if (n.length() != 20 || !n.endsWith(".seg")) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(HexFormat.fromHexDigitsToLong(n.substring(0, 16)));
    } catch (IllegalArgumentException e) {
      return OptionalLong.empty();
    }
  }

  static byte[] header(long number, int capacity, long firstLive) {
    ByteBuffer b = ByteBuffer.allocate(HEADER);
    b.putInt(MAGIC).putShort((short) FORMAT).putShort((short) 0).putLong(number).putInt(capacity).putLong(firstLive);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, CHECKED);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** What a header says; {@code null} if the bytes are not a whole, checked header. */
  record Header(int format, long number, int capacity, long firstLive) {}

  static Header readHeader(byte[] bytes) {
    if (bytes.length < HEADER) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt() != MAGIC) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, CHECKED);
    if (ByteBuffer.wrap(bytes, CHECKED, 4).getInt() != (int) crc.getValue()) {
      return null;
    }
    int format = b.getShort();
    b.getShort();
    return new Header(format, b.getLong(), b.getInt(), b.getLong());
  }

  @Override
  public String toString() {
    return name(number);
  }
}
