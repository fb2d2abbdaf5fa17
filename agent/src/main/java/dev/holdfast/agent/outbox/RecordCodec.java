package dev.holdfast.agent.outbox;

import dev.holdfast.vault.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/** The binary form of an {@link OutboxRecord} inside the vault (version 1). */
final class RecordCodec implements Codec<OutboxRecord> {
  static final RecordCodec INSTANCE = new RecordCodec();
  private static final int VERSION = 1;

  static final Codec<RecordId> IDS = new Codec<>() {
    @Override
    public byte[] encode(RecordId id) {
      return id.toBytes();
    }

    @Override
    public RecordId decode(byte[] bytes) {
      return RecordId.fromBytes(bytes);
    }
  };

  @Override
  public byte[] encode(OutboxRecord r) {
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(128 + r.payload().length);
      DataOutputStream out = new DataOutputStream(buf);
      out.writeByte(VERSION);
      out.writeLong(r.id().value());
      out.writeUTF(r.idempotencyKey());
      out.writeByte(r.channel().ordinal());
      out.writeUTF(r.destination());
      out.writeInt(r.payload().length);
      out.write(r.payload());
      out.writeUTF(r.contentType());
      out.writeLong(r.created().toEpochMilli());
      out.writeLong(r.expires().toEpochMilli());
      out.writeInt(r.attempts());
      out.writeLong(r.nextAttempt().toEpochMilli());
      out.writeBoolean(r.lastError().isPresent());
      if (r.lastError().isPresent()) {
        out.writeUTF(r.lastError().get());
      }
      out.writeBoolean(r.dead());
      return buf.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public OutboxRecord decode(byte[] bytes) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      int version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown outbox record version " + version);
      }
      RecordId id = new RecordId(in.readLong());
      String key = in.readUTF();
      Channel channel = Channel.values()[in.readByte()];
      String destination = in.readUTF();
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      String contentType = in.readUTF();
      Instant created = Instant.ofEpochMilli(in.readLong());
      Instant expires = Instant.ofEpochMilli(in.readLong());
      int attempts = in.readInt();
      Instant next = Instant.ofEpochMilli(in.readLong());
      Optional<String> lastError = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
      boolean dead = in.readBoolean();
      return new OutboxRecord(id, key, channel, destination, payload, contentType, created, expires,
          attempts, next, lastError, dead);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
