package dev.holdfast.agent.outbox.log;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * How far the log reached when it was last closed cleanly: the segment, the end of its last
 * batch and that batch's sequence. Kept outside the log (in the vault); at the next open the log
 * must reach at least this far, or acknowledged records were lost after the stop.
 */
public record Mark(long segment, int end, long sequence) {
  private static final int VERSION = 1;

  public byte[] encode() {
    return ByteBuffer.allocate(1 + 8 + 4 + 8).put((byte) VERSION).putLong(segment).putInt(end).putLong(sequence)
        .array();
  }

  /** The mark in {@code bytes}; empty if they are not one this version wrote. */
  public static Optional<Mark> decode(byte[] bytes) {
    if (bytes.length != 21 || bytes[0] != VERSION) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 1, 20);
    return Optional.of(new Mark(b.getLong(), b.getInt(), b.getLong()));
  }
}
