package dev.holdfast.agent.outbox.log;

/**
 * One entry to append: a type code of the owner's (1 to {@value #MAX_OWNER_TYPE}), its bytes, and
 * whether the log must keep it until the owner {@linkplain SegmentLog#release lets it go}.
 */
public record LogEntry(int type, byte[] body, boolean held) {
  /** The largest type code an owner may use; the codes above are the log's own. */
  public static final int MAX_OWNER_TYPE = 0x7d;

  public LogEntry {
    if (type < 1 || type > 0x7f) {
      throw new IllegalArgumentException("entry type out of range: " + type);
    }
  }

  /** The encoded size inside a batch: type, length, body. */
  int encodedSize() {
    return 1 + Wire.varintSize(body.length) + body.length;
  }
}
