package dev.holdfast.agent.rotation;

import dev.holdfast.vault.Codec;
import dev.holdfast.vault.RecordReader;
import dev.holdfast.vault.RecordWriter;
import dev.holdfast.vault.StoredNames;

/** The rotation record in the shared record format, version 1; steps by stored names that never change. */
final class RotationCodec {
  private RotationCodec() {}

  static final StoredNames<RotationStep> STEPS = StoredNames.of(RotationStep.class, s -> switch (s) {
    case IDLE -> "IDLE";
    case KEY_PENDING -> "KEY_PENDING";
    case REQUESTED -> "REQUESTED";
    case ISSUED -> "ISSUED";
    case SWITCHED -> "SWITCHED";
  });

  static final Codec<RotationRecord> RECORD = new Codec<>() {
    @Override
    public byte[] encode(RotationRecord r) {
      return new RecordWriter(1).name(STEPS, r.step()).optStr(r.requestId()).optStr(r.request()).i32(r.failures())
          .optInstant(r.nextAttempt()).optStr(r.lastResult()).optInstant(r.lastResultAt()).toBytes();
    }

    @Override
    public RotationRecord decode(byte[] bytes) {
      RecordReader r = RecordReader.of(bytes, "rotation").expect(1);
      return new RotationRecord(r.name(STEPS), r.optStr(), r.optStr(), r.i32(), r.optInstant(), r.optStr(),
          r.optInstant());
    }
  };
}
