package dev.holdfast.agent.outbox;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.outbox.log.LogEntry;
import dev.holdfast.agent.outbox.log.Mark;
import dev.holdfast.agent.outbox.log.SegmentLog;
import dev.holdfast.agent.outbox.log.Wire;
import dev.holdfast.protocol.crypto.Aead;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.Disk;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * {@code outbox repair --accept-loss}: what to do when the outbox refuses to open because its log
 * is damaged. Every intact record (and dead letter, and the channel counters) is read from the
 * damaged log and written into a fresh one in {@code outbox.repair/}; then the damaged directory
 * is moved aside ({@code outbox.damaged-N/}, kept for whoever wants to look) and the fresh one
 * takes its place. An interrupted repair is finished by the next open (the fresh log is complete
 * before the old one moves) or simply run again.
 */
public final class OutboxRepair {
  private OutboxRepair() {}

  /** What the repair found wrong and kept. */
  public record Report(List<String> findings, int queued, int dead, Optional<Path> damagedCopy) {}

  public static Report run(Vault vault, OutboxSettings settings) throws VaultException {
    Path dir = Outbox.directoryOf(vault);
    Disk disk = vault.disk();
    Optional<byte[]> key = vault.get(Outbox.LOG_STATE, "data-key");
    if (key.isEmpty()) {
      return new Report(List.of(), 0, 0, Optional.empty());
    }
    SegmentLog.Options options = new SegmentLog.Options(OutboxStorage.segmentBytesFor(settings),
        OutboxStorage.CACHE_BYTES);
    Aead aead = new Aead(Secret.wrap(key.get()), vault.random());
    Index index = new Index();
    Loader loader = new Loader(index);
    try {
      Outbox.finishInterruptedRepair(disk, dir);
      Optional<Mark> mark = vault.get(Outbox.LOG_STATE, "mark").flatMap(Mark::decode);
      SegmentLog.Salvage salvage = SegmentLog.salvage(disk, dir, aead, options, mark, loader);
      List<String> findings = new ArrayList<>(salvage.findings());
      findings.addAll(loader.dropOrphans(salvage.log()));
      int queued = index.list(false, 0, Integer.MAX_VALUE).size();
      int dead = index.list(true, 0, Integer.MAX_VALUE).size();
      if (findings.isEmpty()) {
        salvage.log().close();
        return new Report(findings, queued, dead, Optional.empty());
      }
      Path fresh = dir.resolveSibling(dir.getFileName() + ".repair");
      deleteTree(disk, fresh);
      SegmentLog out = SegmentLog.startAfter(disk, fresh, aead, options, salvage.highestSegment(),
          salvage.lastSequence());
      copy(index, salvage.log(), out, options.segmentBytes() / 4);
      salvage.log().close();
      out.close();
      vault.write(tx -> {
        tx.remove(Outbox.LOG_STATE, "mark"); // it measured the old log
        return null;
      });
      Path aside = aside(disk, dir);
      disk.move(dir, aside);
      disk.move(fresh, dir);
      disk.syncDirectory(dir.getParent());
      Logger.warn("outbox repaired: kept {} queued record(s) and {} dead letter(s); the damaged log is in {}",
          queued, dead, aside);
      return new Report(findings, queued, dead, Optional.of(aside));
    } catch (IOException e) {
      throw new VaultException(VaultException.Reason.IO, "could not repair the outbox in " + dir + ": "
          + e.getMessage() + "; nothing was changed", e);
    }
  }

  /** Every record the index holds, with its current state, and every channel's counters, into {@code out}, in batches of about {@code chunkBytes}. */
  private static void copy(Index index, SegmentLog from, SegmentLog out, int chunkBytes) throws IOException {
    List<LogEntry> chunk = new ArrayList<>();
    int bytes = 0;
    for (boolean dead : new boolean[] {false, true}) {
      for (long id : index.ids(dead, 0, Integer.MAX_VALUE)) {
        RecordView v = index.find(id).orElseThrow();
        byte[] body = from.read(v.image());
        OutboxRecord r;
        try {
          r = v.with(Entries.image(body, 0, body.length, true));
        } catch (Wire.Malformed e) {
          throw new IOException("record " + v.recordId() + " does not decode: " + e.getMessage(), e);
        }
        LogEntry entry = Entries.record(r, 0);
        chunk.add(entry);
        bytes += entry.body().length;
        if (bytes >= chunkBytes) {
          out.append(chunk);
          chunk.clear();
          bytes = 0;
        }
      }
    }
    for (Channel c : Channel.values()) {
      chunk.add(Entries.stats(c, 1, index.stats(c)));
    }
    out.append(chunk);
  }

  private static Path aside(Disk disk, Path dir) {
    for (int n = 1; ; n++) {
      Path p = dir.resolveSibling(dir.getFileName() + ".damaged-" + n);
      if (!disk.exists(p)) {
        return p;
      }
    }
  }

  private static void deleteTree(Disk disk, Path dir) throws IOException {
    if (disk.exists(dir)) {
      for (Path p : disk.list(dir)) {
        disk.delete(p);
      }
      disk.delete(dir);
    }
  }
}
