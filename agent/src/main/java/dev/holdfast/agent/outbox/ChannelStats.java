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

/**
 * What {@code status} shows per channel; kept in the vault so it survives restarts.
 *
 * @param heldUntil set after a 401: no sends on this channel before then ("credentials rejected")
 */
public record ChannelStats(
    long delivered,
    Optional<Instant> lastDelivery,
    Optional<String> lastError,
    Optional<Instant> lastErrorAt,
    Optional<Instant> heldUntil,
    long droppedWhenFull) {

  public static final ChannelStats EMPTY =
      new ChannelStats(0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);

  ChannelStats deliveredAt(Instant at) {
    return new ChannelStats(delivered + 1, Optional.of(at), lastError, lastErrorAt, Optional.empty(),
        droppedWhenFull);
  }

  ChannelStats failedAt(Instant at, String error) {
    return new ChannelStats(delivered, lastDelivery, Optional.of(error), Optional.of(at), heldUntil,
        droppedWhenFull);
  }

  ChannelStats heldUntil(Instant until) {
    return new ChannelStats(delivered, lastDelivery, lastError, lastErrorAt, Optional.of(until), droppedWhenFull);
  }

  ChannelStats dropped(long n) {
    return new ChannelStats(delivered, lastDelivery, lastError, lastErrorAt, heldUntil, droppedWhenFull + n);
  }

  public boolean heldAt(Instant now) {
    return heldUntil.isPresent() && now.isBefore(heldUntil.get());
  }

  static final Codec<ChannelStats> CODEC = new Codec<>() {
    @Override
    public byte[] encode(ChannelStats s) {
      try {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeByte(1);
        out.writeLong(s.delivered);
        writeInstant(out, s.lastDelivery);
        out.writeBoolean(s.lastError.isPresent());
        if (s.lastError.isPresent()) {
          out.writeUTF(s.lastError.get());
        }
        writeInstant(out, s.lastErrorAt);
        writeInstant(out, s.heldUntil);
        out.writeLong(s.droppedWhenFull);
        return buf.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public ChannelStats decode(byte[] bytes) {
      try {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readByte();
        long delivered = in.readLong();
        Optional<Instant> last = readInstant(in);
        Optional<String> error = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
        return new ChannelStats(delivered, last, error, readInstant(in), readInstant(in), in.readLong());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void writeInstant(DataOutputStream out, Optional<Instant> t) throws IOException {
      out.writeLong(t.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE));
    }

    private Optional<Instant> readInstant(DataInputStream in) throws IOException {
      long v = in.readLong();
      return v == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }
  };
}
