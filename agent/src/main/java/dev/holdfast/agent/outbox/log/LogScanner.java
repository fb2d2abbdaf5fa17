package dev.holdfast.agent.outbox.log;

import dev.holdfast.protocol.crypto.AuthenticationFailedException;
import dev.holdfast.vault.Disk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reads every segment of a log when it opens: hands each intact batch's entries to the owner (in
 * log order), and checks the whole for what a crash cannot leave — a missing segment, a damaged
 * header, a batch that fails authentication with intact ones behind it, a segment that ends
 * without handing over to the next, a log that stops short of where it reached at the last clean
 * stop. Strict, it refuses ({@link LogDamage}) at the first such finding; lenient (for a repair),
 * it notes each and goes on with whatever is intact.
 */
final class LogScanner {
  private static final String SUFFIX = ". Nothing was changed. Restore the data directory from a backup, or run"
      + " 'holdfast-agent outbox repair --accept-loss' to keep every intact record and drop the rest";

  /** What the directory holds and what scanning it found. */
  static final class Result {
    /** The live segments, oldest first; the last is the one to append to. */
    final TreeMap<Long, Segment> live = new TreeMap<>();
    /** Segments retired (their RETIRE made durable) whose files a crash left behind. */
    final List<Segment> retired = new ArrayList<>();
    /** A segment made for a roll that a crash cut short: nothing was written to it. */
    Segment unused;
    /** Files a crash left half made ({@code .seg.tmp}). */
    final List<Path> leftovers = new ArrayList<>();
    int spareCapacity = -1;
    long lastSequence;
    /** The highest segment number any file or entry names (a fresh log after a repair goes on from it). */
    long highestSegment;
    /** The newest segment's incomplete last batch, if a crash left one: offset and length. */
    int tornAt = -1;
    int tornLength;
    /** What a lenient scan found wrong. */
    final List<String> findings = new ArrayList<>();
  }

  /** What scanning one segment found. */
  private static final class Scan {
    Segment segment;
    long maxRetired;
    int tornAt = -1;
    int tornLength;
  }

  /** How much of a segment the search for intact batches past damage reads at a time. */
  private static final int SEARCH_CHUNK = 64 * 1024;

  private final Disk disk;
  private final Path dir;
  private final BatchCodec codec;
  private final SegmentLog log;
  private final boolean lenient;
  private final Result result = new Result();

  LogScanner(Disk disk, Path dir, BatchCodec codec, SegmentLog log, boolean lenient) {
    this.disk = disk;
    this.dir = dir;
    this.codec = codec;
    this.log = log;
    this.lenient = lenient;
  }

  private void damage(String message) throws LogDamage {
    if (!lenient) {
      throw new LogDamage(message + SUFFIX);
    }
    result.findings.add(message);
  }

  /**
   * @param existed whether the owner started a log here before (an empty directory then means loss)
   * @param mark how far the log reached at its last clean stop
   */
  Result scan(boolean existed, Optional<Mark> mark, SegmentLog.Replay replay) throws IOException, LogDamage {
    TreeMap<Long, Path> numbered = new TreeMap<>();
    for (Path p : disk.list(dir)) {
      OptionalLong n = Segment.numberOf(p);
      String name = p.getFileName().toString();
      if (n.isPresent()) {
        numbered.put(n.getAsLong(), p);
      } else if (name.equals(SegmentLog.SPARE)) {
        result.spareCapacity = (int) disk.size(p);
      } else if (name.endsWith(".seg.tmp")) {
        result.leftovers.add(p);
      }
    }
    if (numbered.isEmpty()) {
      if (existed) {
        damage("the outbox directory " + dir + " holds no segment, but this vault's outbox kept its records there:"
            + " every record it held is lost");
      }
      return result;
    }
    result.highestSegment = numbered.lastKey();
    long maxRetired = 0;
    long floor = 0;
    Map<Long, Scan> scans = new TreeMap<>();
    for (Map.Entry<Long, Path> e : numbered.entrySet()) {
      Scan scan = scanSegment(e.getKey(), e.getValue(), existed, replay);
      if (scan == null) {
        continue;
      }
      scans.put(e.getKey(), scan);
      result.live.put(e.getKey(), scan.segment);
      maxRetired = Math.max(maxRetired, scan.maxRetired);
      floor = Math.max(floor, scan.segment.firstLive);
    }
    if (result.live.isEmpty()) {
      return result;
    }
    long first = Math.max(maxRetired + 1, floor);
    for (Segment s : List.copyOf(result.live.values())) {
      if (s.number < first) {
        if (s.held > 0) {
          damage(s.path + " was retired, yet " + s.held + " of its entries are still in use");
        }
        result.retired.add(s);
        result.live.remove(s.number);
      }
    }
    if (result.live.isEmpty()) {
      damage("the outbox log's newest segment " + result.retired.get(result.retired.size() - 1).path
          + " was retired; segment " + Segment.name(first) + " and any after it are missing, with every record"
          + " they held");
      return result;
    }
    long last = result.live.lastKey();
    for (long k = first; k <= last; k++) {
      if (!result.live.containsKey(k)) {
        damage("outbox segment " + dir.resolve(Segment.name(k)) + " is missing (the log runs from "
            + Segment.name(first) + " to " + Segment.name(last) + "): the records it held are lost");
      }
    }
    for (long k = first; k < last; k++) {
      Segment s = result.live.get(k);
      Segment next = result.live.get(k + 1);
      if (s == null || next == null) {
        continue;
      }
      if (s.rolledTo == k + 1 && scans.get(k).tornAt < 0) {
        continue;
      }
      if (s.rolledTo < 0 && k + 1 == last && next.batches == 0) {
        result.unused = next; // made for a roll a crash cut short; nothing was written to it
        continue;
      }
      damage("outbox segment " + s.path + " ends at offset " + s.end + " without handing over to "
          + Segment.name(k + 1) + ": the batches after offset " + s.end + " are lost (up to "
          + (s.capacity - s.end) / 1024 + " KiB of records)");
    }
    if (result.unused != null) {
      result.live.remove(result.unused.number);
      last = result.unused.number - 1;
    }
    Segment tail = result.live.get(last);
    Scan tailScan = scans.get(last);
    if (tail.rolledTo >= 0) {
      damage("outbox segment " + dir.resolve(Segment.name(tail.rolledTo)) + " is missing (" + tail.path
          + " hands over to it): the records it held are lost");
    }
    if (mark.isPresent() && mark.get().segment() >= first) {
      checkMark(mark.get(), tail);
    }
    result.tornAt = tailScan.tornAt;
    result.tornLength = tailScan.tornLength;
    return result;
  }

  private void checkMark(Mark mark, Segment tail) throws LogDamage {
    if (mark.segment() > tail.number) {
      damage("the outbox log reached segment " + Segment.name(mark.segment()) + " when the agent last stopped"
          + " cleanly, but it now ends with " + tail.path + ": the segments after it are missing, with every record"
          + " they held");
    } else if ((mark.segment() == tail.number && tail.end < mark.end()) || result.lastSequence < mark.sequence()) {
      damage("outbox segment " + tail.path + " reached offset " + mark.end() + " when the agent last stopped"
          + " cleanly, but its intact batches end at offset " + tail.end + ": the records in those "
          + (mark.end() - tail.end) + " bytes were acknowledged and are lost (the tail was torn or zeroed after"
          + " the stop)");
    }
  }

  /**
   * Reads one segment; null if it cannot be used at all (lenient only). The file is read a batch at
   * a time (and past its last batch, a chunk at a time), never whole: a segment is up to megabytes,
   * and an array that large outlives the young generation and is copied into the old one, where it
   * stays resident long after it is garbage (docs/decisions.md).
   */
  private Scan scanSegment(long number, Path file, boolean existed, SegmentLog.Replay replay)
      throws IOException, LogDamage {
    try (FileChannel ch = disk.open(file, Disk.Mode.READ)) {
      long size = ch.size();
      Segment.Header h = Segment.readHeader(read(ch, 0, (int) Math.min(size, Segment.HEADER)));
      if (h == null) {
        damage("outbox segment " + file + " has a damaged header: the records in it are lost (up to "
            + size / 1024 + " KiB)");
        return null;
      }
      if (h.number() != number) {
        damage("outbox segment " + file + " holds segment " + Segment.name(h.number())
            + " (was it copied or renamed by hand?)");
        return null;
      }
      if (h.format() != Segment.FORMAT) {
        damage("outbox segment " + file + " has format " + h.format() + "; this version reads format "
            + Segment.FORMAT + " (upgrade Holdfast)");
        return null;
      }
      Scan scan = new Scan();
      scan.segment = new Segment(number, file, h.capacity(), h.firstLive());
      log.adopt(scan.segment);
      int limit = (int) Math.min(size, h.capacity());
      int pos = Segment.HEADER;
      while (true) {
        BatchCodec.Header bh = pos + BatchCodec.HEADER <= limit
            ? BatchCodec.header(read(ch, pos, BatchCodec.HEADER), 0, BatchCodec.HEADER, number) : null;
        if (bh != null && !existed) {
          damage("outbox segment " + file + " holds batches, but this vault never sealed any (was the vault"
              + " replaced, or the directory copied from another device?)");
          return scan;
        }
        int stoppedAt = pos;
        boolean torn = false;
        if (bh != null && pos + bh.length() <= limit && bh.sequence() > result.lastSequence) {
          try {
            byte[] plain = codec.open(bh, pos, read(ch, pos, bh.length()), 0);
            replayBatch(scan, file, pos, bh, plain, replay);
            pos += bh.length();
            continue;
          } catch (AuthenticationFailedException e) {
            torn = true;
          }
        } else if (bh != null && bh.sequence() <= result.lastSequence) {
          damage("outbox segment " + file + " has a batch at offset " + pos + " whose sequence " + bh.sequence()
              + " does not follow " + result.lastSequence + ": batches were moved or copied");
        } else if (bh != null) {
          torn = true; // its header says it runs past the end of the file
        }
        int later = nextIntactBatch(ch, pos + 1, limit, number);
        if (later < 0) {
          if (torn) {
            scan.tornAt = pos;
            scan.tornLength = Math.min(bh.length(), limit - pos);
          }
          break;
        }
        String what = torn ? "the batch of " + bh.length() + " bytes at offset " + pos + " fails authentication"
            : "the bytes at offset " + pos + " are not a batch";
        damage("outbox segment " + file + " is damaged: " + what + ", and intact batches follow it (the next at"
            + " offset " + later + "): the records in bytes " + stoppedAt + " to " + later + " are lost");
        pos = later; // lenient: go on with the next intact batch
      }
      scan.segment.end = pos;
      return scan;
    }
  }

  /** {@code length} bytes of the file from {@code at} (fewer if it ends first). */
  private static byte[] read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    int n = Disk.readFully(ch, buf, at);
    return n == length ? buf.array() : Arrays.copyOf(buf.array(), n);
  }

  private void replayBatch(Scan scan, Path file, int pos, BatchCodec.Header bh, byte[] plain,
      SegmentLog.Replay replay) throws LogDamage {
    try {
      for (BatchCodec.Parsed p : BatchCodec.entries(plain)) {
        Location at = new Location(scan.segment.number, pos, bh.length(), p.offset(), p.length(), p.type());
        switch (p.type()) {
          case SegmentLog.ROLL -> {
            scan.segment.rolledTo = new Wire.Reader(plain, p.offset(), p.length()).u64();
            result.highestSegment = Math.max(result.highestSegment, scan.segment.rolledTo);
          }
          case SegmentLog.RETIRE -> scan.maxRetired = Math.max(scan.maxRetired,
              new Wire.Reader(plain, p.offset(), p.length()).u64());
          default -> replay.entry(log, plain, at);
        }
      }
    } catch (Wire.Malformed e) {
      damage("outbox segment " + file + " has a batch at offset " + pos + " that authenticates but does not"
          + " decode (" + e.getMessage() + "); was it written by a newer version of Holdfast?");
    }
    scan.segment.batches++;
    result.lastSequence = bh.sequence();
  }

  /** The offset of the first whole, authentic batch of {@code segment} at or after {@code from}; -1 if none. */
  private int nextIntactBatch(FileChannel ch, int from, int limit, long segment) throws IOException {
    for (int base = from; base + BatchCodec.HEADER <= limit; base += SEARCH_CHUNK) {
      // each chunk overlaps the next by a header's length less one, so no header is cut in two
      int length = Math.min(SEARCH_CHUNK + BatchCodec.HEADER - 1, limit - base);
      byte[] chunk = read(ch, base, length);
      for (int i = 0; i < SEARCH_CHUNK && i + BatchCodec.HEADER <= chunk.length; i++) {
        if (chunk[i] != 0x48) { // 'H' of "HFOB": most positions fail here
          continue;
        }
        BatchCodec.Header h = BatchCodec.header(chunk, i, chunk.length, segment);
        int at = base + i;
        if (h != null && h.sequence() > result.lastSequence && at + h.length() <= limit) {
          try {
            codec.open(h, at, read(ch, at, h.length()), 0);
            return at;
          } catch (AuthenticationFailedException e) {
            // not whole either
          }
        }
      }
    }
    return -1;
  }
}
