package dev.holdfast.agent.outbox;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A time-ordered record id: 48 bits of milliseconds since the epoch, then 16 bits of sequence
 * within the millisecond (like a ULID's time part). Printed as 16 hex digits, which sort the
 * same way as the bytes do.
 */
public record RecordId(long value) implements Comparable<RecordId> {
  public static RecordId of(long epochMillis, int sequence) {
    if (epochMillis < 0 || epochMillis >= (1L << 48) || sequence < 0 || sequence > 0xffff) {
      throw new IllegalArgumentException("record id out of range");
    }
    return new RecordId((epochMillis << 16) | sequence);
  }

  public long epochMillis() {
    return value >>> 16;
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  public static RecordId fromBytes(byte[] bytes) {
    return new RecordId(ByteBuffer.wrap(bytes).getLong());
  }

  public static RecordId parse(String text) {
    if (!text.matches("[0-9a-f]{16}")) {
      throw new IllegalArgumentException("'" + text + "' is not a record id (16 hex digits, see 'outbox list')");
    }
    return new RecordId(HexFormat.fromHexDigitsToLong(text));
  }

  // equals and hashCode by hand: a record's generated ones are bootstrapped through method handles
  // the first time they run, which loads a hundred classes into an agent that otherwise needs none
  // of them (the dispatcher keeps record ids in a set)
  @Override
  public boolean equals(Object o) {
    return o instanceof RecordId other && other.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  @Override
  public int compareTo(RecordId o) {
    return Long.compareUnsigned(value, o.value);
  }

  @Override
  public String toString() {
    return HexFormat.of().toHexDigits(value);
  }
}
