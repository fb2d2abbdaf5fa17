package dev.holdfast.agent.outbox;

import dev.holdfast.vault.Codec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * How agents before the segment log kept the outbox inside the vault (record and stats format
 * version 1): read once, when {@link LegacyImport} moves those records into the log. Never
 * written. Version 1 stored the channel by its position in the enum then (sms, webhook, mqtt); the
 * table below spells that out, so it no longer depends on the enum's order.
 */
final class LegacyCodecs {
  private LegacyCodecs() {}

  private static final Channel[] V1_CHANNELS = {Channel.SMS, Channel.WEBHOOK, Channel.MQTT};

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

  static final Codec<OutboxRecord> RECORDS = new Codec<>() {
    @Override
    public byte[] encode(OutboxRecord value) {
      throw new UnsupportedOperationException("the vault's outbox collections are read once, never written");
    }

    @Override
    public OutboxRecord decode(byte[] bytes) {
      try {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int version = in.readByte();
        if (version != 1) {
          throw new IllegalArgumentException("unknown outbox record version " + version);
        }
        RecordId id = new RecordId(in.readLong());
        String key = in.readUTF();
        int channel = in.readByte();
        if (channel < 0 || channel >= V1_CHANNELS.length) {
          throw new IllegalArgumentException("unknown channel " + channel + " in a version 1 outbox record");
        }
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
        return new OutboxRecord(id, key, V1_CHANNELS[channel], destination, payload, contentType, created, expires,
            attempts, next, lastError, dead);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final Codec<ChannelStats> STATS = new Codec<>() {
    @Override
    public byte[] encode(ChannelStats value) {
      throw new UnsupportedOperationException("the vault's outbox collections are read once, never written");
    }

    @Override
    public ChannelStats decode(byte[] bytes) {
      try {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readByte();
        long delivered = in.readLong();
        Optional<Instant> last = instant(in);
        Optional<String> error = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
        return new ChannelStats(delivered, last, error, instant(in), instant(in), in.readLong());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private Optional<Instant> instant(DataInputStream in) throws IOException {
      long v = in.readLong();
      return v == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }
  };
}
