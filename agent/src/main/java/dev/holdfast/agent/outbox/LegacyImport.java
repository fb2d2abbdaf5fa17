package dev.holdfast.agent.outbox;

import dev.holdfast.vault.Codec;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;

/**
 * Moves the outbox of an agent from before the segment log — records, dead letters and channel
 * stats kept in the vault's {@code outbox}, {@code outbox-dead} and {@code outbox-stats}
 * collections — into the log, on the first open. The log batch is made durable first, then the
 * vault's copies are removed in one transaction; a crash in between moves them again, and records
 * the log already holds (by id) are not added twice.
 */
final class LegacyImport {
  private LegacyImport() {}

  static final VaultCollection<RecordId, OutboxRecord> QUEUE =
      VaultCollection.ordered("outbox", LegacyCodecs.IDS, LegacyCodecs.RECORDS);
  static final VaultCollection<RecordId, OutboxRecord> DEAD =
      VaultCollection.ordered("outbox-dead", LegacyCodecs.IDS, LegacyCodecs.RECORDS);
  static final VaultCollection<String, ChannelStats> STATS =
      VaultCollection.ordered("outbox-stats", Codec.UTF8, LegacyCodecs.STATS);

  static void run(Vault vault, Outbox outbox) throws VaultException {
    List<Map.Entry<RecordId, OutboxRecord>> queued = vault.entries(QUEUE);
    List<Map.Entry<RecordId, OutboxRecord>> dead = vault.entries(DEAD);
    List<Map.Entry<String, ChannelStats>> stats = vault.entries(STATS);
    if (queued.isEmpty() && dead.isEmpty() && stats.isEmpty()) {
      return;
    }
    int moved;
    try {
      moved = outbox.submit(batch -> {
        int n = 0;
        for (List<Map.Entry<RecordId, OutboxRecord>> records : List.of(queued, dead)) {
          for (Map.Entry<RecordId, OutboxRecord> e : records) {
            OutboxRecord r = e.getValue();
            if (batch.current(r.id().value()).isEmpty()) {
              batch.add(r, outbox.laneToPlan(r.channel(), r.destination()), Entries.record(r, 0));
              n++;
            }
          }
        }
        for (Map.Entry<String, ChannelStats> e : stats) {
          ChannelStats s = e.getValue();
          batch.stats(Channel.fromWire(e.getKey()), current -> s);
        }
        return n;
      });
    } catch (OutboxException e) {
      throw new VaultException(VaultException.Reason.IO, "could not move the outbox from the vault into its log: "
          + e.getMessage(), e);
    }
    vault.write(tx -> {
      queued.forEach(e -> tx.remove(QUEUE, e.getKey()));
      dead.forEach(e -> tx.remove(DEAD, e.getKey()));
      stats.forEach(e -> tx.remove(STATS, e.getKey()));
      return null;
    });
    outbox.advanceIdsPast(queued, dead);
    Logger.info("moved the outbox from the vault into its log: {} record(s) ({} queued, {} dead letters)",
        moved, queued.size(), dead.size());
  }
}
