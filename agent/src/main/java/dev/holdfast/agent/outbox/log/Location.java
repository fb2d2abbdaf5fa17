package dev.holdfast.agent.outbox.log;

/**
 * Where an entry lies: its segment, the batch that holds it (offset and length in the file), its
 * place inside the batch's plaintext, and its type.
 */
public record Location(long segment, int batchOffset, int batchLength, int entryOffset, int entryLength, int type) {
  @Override
  public String toString() {
    return Segment.name(segment) + "@" + batchOffset + "+" + entryOffset;
  }
}
