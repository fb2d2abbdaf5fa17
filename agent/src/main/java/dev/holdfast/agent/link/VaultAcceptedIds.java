package dev.holdfast.agent.link;

import dev.holdfast.vault.Codec;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Accepted command ids sealed in the agent's vault (collection {@code command-ids}: id to the
 * command's expiry), so an agent restart does not make a captured, unexpired command acceptable
 * again. Each accepted command costs one committed (fsynced) write, which also drops the expired
 * ids. The vault serialises writers, so this is safe from any thread.
 */
public final class VaultAcceptedIds implements AcceptedIds {
  static final VaultCollection<String, Instant> COLLECTION =
      VaultCollection.hidden("command-ids", Codec.UTF8, new InstantCodec());

  private final Vault vault;

  public VaultAcceptedIds(Vault vault) {
    this.vault = vault;
  }

  @Override
  public Outcome remember(String id, Instant expiresAt, Instant now) throws VaultException {
    return vault.write(tx -> {
      List<Map.Entry<String, Instant>> all = tx.entries(COLLECTION);
      int live = 0;
      for (Map.Entry<String, Instant> e : all) {
        if (now.isBefore(e.getValue())) {
          live++;
        } else {
          tx.remove(COLLECTION, e.getKey());
        }
      }
      if (tx.get(COLLECTION, id).filter(now::isBefore).isPresent()) {
        return Outcome.REPLAYED;
      }
      if (live >= MAX) {
        return Outcome.FULL;
      }
      tx.put(COLLECTION, id, expiresAt);
      return Outcome.REMEMBERED;
    });
  }

  /** Ids remembered now, expired or not. */
  int size() throws VaultException {
    return vault.entries(COLLECTION).size();
  }

  /** An instant as epoch seconds and nanoseconds, 12 bytes. */
  private static final class InstantCodec implements Codec<Instant> {
    @Override
    public byte[] encode(Instant value) {
      return ByteBuffer.allocate(12).putLong(value.getEpochSecond()).putInt(value.getNano()).array();
    }

    @Override
    public Instant decode(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      return Instant.ofEpochSecond(b.getLong(), b.getInt());
    }
  }
}
