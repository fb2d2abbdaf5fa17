package dev.holdfast.bench.outbox;

import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.FsyncCount;
import dev.holdfast.bench.support.ScratchDisk;
import dev.holdfast.bench.support.ThreadCpu;
import dev.holdfast.bench.support.Writes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Figures 1 and 2: durable enqueue through the socket into a running agent, 1 and 16 producers:
 * records per second and bytes written per acknowledged record, against three baselines measured
 * in the same repetition on the same disk (bare MapDB one commit per record, raw append +
 * fdatasync, raw overwrite of a preallocated file + fdatasync); and the fsync check.
 */
final class EnqueueBenchmark {
  static final int MAX_WARM_UP_SECONDS = 30;
  private final Params params;
  private final ScratchDisk disk;
  private final Path work;
  final Samples bareMapDb = new Samples();
  final Samples rawAppend = new Samples();
  final Samples rawOverwrite = new Samples();
  final Samples oneProducer = new Samples();
  final Samples sixteenProducers = new Samples();
  final Samples oneVsRaw = new Samples();
  final Samples oneVsOverwrite = new Samples();
  final Samples oneVsMapDb = new Samples();
  final Samples sixteenVsMapDb = new Samples();
  final Samples sixteenVsRaw = new Samples();
  final Samples mapDbVsRaw = new Samples();
  final Samples overwriteVsRaw = new Samples();
  /** Bytes written per record: at the device (or the process, when not isolated). */
  final Samples bareBytes = new Samples();
  final Samples rawBytes = new Samples();
  final Samples overwriteBytes = new Samples();
  final Samples oneBytes = new Samples();
  final Samples sixteenBytes = new Samples();
  /** The agent's own writes per record (/proc/PID/io), without the file system's journal. */
  final Samples oneProcessBytes = new Samples();
  final Samples sixteenProcessBytes = new Samples();
  /** The part of the 16-producer bytes that preallocated new segments (zeros written once per segment). */
  final Samples sixteenPreallocation = new Samples();
  final Samples inProcessOne = new Samples();
  final Samples inProcessSixteen = new Samples();
  final Samples statusRoundTrips = new Samples();
  final List<String> fsyncCheck = new ArrayList<>();
  final Samples warmUpSeconds = new Samples();
  final Samples agentCpuSixteen = new Samples();
  final Samples producerCpuSixteen = new Samples();
  final Samples compilerShareOne = new Samples();
  int segmentBytes;

  EnqueueBenchmark(Params params, ScratchDisk disk) {
    this.params = params;
    this.disk = disk;
    this.work = disk.root();
  }

  void run() throws Exception {
    StorageBaselines storage = new StorageBaselines(disk, params.storedRecordBytes());
    for (int rep = 0; rep < params.repetitions(); rep++) {
      Path dir = BenchDirs.privateDir(work.resolve("enqueue-" + rep));
      // the baselines bracket the agent's runs (before and after), so slow spells of a shared
      // machine hit both sides of each ratio alike
      StorageBaselines.Run bareBefore = storage.bareMapDb(dir, params.seconds());
      StorageBaselines.Run rawBefore = storage.rawAppend(dir, params.seconds());
      StorageBaselines.Run overBefore = storage.rawOverwrite(dir, params.seconds());
      double one;
      double sixteen;
      try (AgentProcess agent = AgentProcess.create(dir.resolve("agent"), agentConfig(), List.of())) {
        agent.start();
        EnqueueLoad load = new EnqueueLoad(agent.socket(), Params.PARKED_URL, params.body());
        warmUpSeconds.add(warmUp(agent, load));
        segmentBytes = (int) Files.size(segments(agent).get(0));

        ThreadCpu cpuOne = ThreadCpu.of(agent.pid());
        Writes w0 = Writes.now(disk, agent.pid());
        one = load.run(1, params.seconds());
        Writes w1 = Writes.now(disk, agent.pid()).since(w0);
        oneBytes.add(w1.per(load.lastAcked));
        oneProcessBytes.add(w1.processPer(load.lastAcked));
        Map<String, Double> cpu = ThreadCpu.of(agent.pid()).since(cpuOne);
        compilerShareOne.add(ThreadCpu.compiler(cpu) / ThreadCpu.total(cpu));

        int segmentsBefore = segments(agent).size();
        ThreadCpu cpuSixteen = ThreadCpu.of(agent.pid());
        double producersBefore = ThreadCpu.ownProcessSeconds();
        Writes w2 = Writes.now(disk, agent.pid());
        sixteen = load.run(16, params.seconds());
        Writes w3 = Writes.now(disk, agent.pid()).since(w2);
        long acked = load.lastAcked;
        sixteenBytes.add(w3.per(acked));
        sixteenProcessBytes.add(w3.processPer(acked));
        sixteenPreallocation.add((double) (segments(agent).size() - segmentsBefore) * segmentBytes / acked);
        agentCpuSixteen.add(ThreadCpu.total(ThreadCpu.of(agent.pid()).since(cpuSixteen)) / acked * 1e6);
        producerCpuSixteen.add((ThreadCpu.ownProcessSeconds() - producersBefore) / acked * 1e6);
        statusRoundTrips.add(EnqueueLoad.statusOnly(agent.socket()).run(1, Math.min(1.0, params.seconds())));
        agent.stop();
      }
      StorageBaselines.Run bareAfter = storage.bareMapDb(dir, params.seconds());
      StorageBaselines.Run rawAfter = storage.rawAppend(dir, params.seconds());
      StorageBaselines.Run overAfter = storage.rawOverwrite(dir, params.seconds());
      double bare = (bareBefore.perSecond() + bareAfter.perSecond()) / 2;
      double raw = (rawBefore.perSecond() + rawAfter.perSecond()) / 2;
      double over = (overBefore.perSecond() + overAfter.perSecond()) / 2;
      bareMapDb.add(bare);
      rawAppend.add(raw);
      rawOverwrite.add(over);
      bareBytes.add((bareBefore.bytesPerRecord() + bareAfter.bytesPerRecord()) / 2);
      rawBytes.add((rawBefore.bytesPerRecord() + rawAfter.bytesPerRecord()) / 2);
      overwriteBytes.add((overBefore.bytesPerRecord() + overAfter.bytesPerRecord()) / 2);
      oneProducer.add(one);
      sixteenProducers.add(sixteen);
      oneVsRaw.add(one / raw);
      oneVsOverwrite.add(one / over);
      oneVsMapDb.add(one / bare);
      sixteenVsMapDb.add(sixteen / bare);
      sixteenVsRaw.add(sixteen / raw);
      mapDbVsRaw.add(bare / raw);
      overwriteVsRaw.add(over / raw);
      inProcessOne.add(InProcessOutbox.enqueueRate(dir, params, 1, params.seconds()) / raw);
      inProcessSixteen.add(InProcessOutbox.enqueueRate(dir, params, 16, params.seconds()) / bare);
      System.out.printf(Locale.ROOT, "enqueue rep %d: bare MapDB %,.0f/s (%,.0f B/record), raw append %,.0f/s"
              + " (%,.0f B), raw overwrite %,.0f/s (%,.0f B); agent 1 producer %,.0f/s (%.2f of raw, %,.0f B),"
              + " 16 producers %,.0f/s (%.1f x bare, %.2f x raw, %,.0f B)%n", rep + 1, bare, bareBytes.last(), raw,
          rawBytes.last(), over, overwriteBytes.last(), one, one / raw, oneBytes.last(), sixteen, sixteen / bare,
          sixteen / raw, sixteenBytes.last());
    }
    checkFsyncs();
  }

  private static List<Path> segments(AgentProcess agent) throws IOException {
    try (Stream<Path> s = Files.list(agent.dataDir().resolve("outbox"))) {
      return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}\\.seg")).sorted().toList();
    }
  }

  /**
   * Runs 1 and 16 producers in turns, a second each, until the agent's JIT compiler used under a
   * tenth of a CPU in the last second (at least 4 s, at most {@link #MAX_WARM_UP_SECONDS}).
   */
  private static double warmUp(AgentProcess agent, EnqueueLoad load) throws Exception {
    long started = System.nanoTime();
    for (int second = 0; second < MAX_WARM_UP_SECONDS; second++) {
      ThreadCpu before = ThreadCpu.of(agent.pid());
      load.run(second % 2 == 0 ? 1 : 16, 1.0);
      double compiler = ThreadCpu.compiler(ThreadCpu.of(agent.pid()).since(before));
      if (second >= 3 && compiler < 0.1) {
        break;
      }
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private List<String> agentConfig() {
    // records are parked on one lane; long retries keep the dispatcher's writes out of the figure
    return params.agentConfig("10m", "1h");
  }

  /** Under strace: with 1 producer every ack must have had its own flush; with 16, how many records a flush carried. */
  private void checkFsyncs() throws Exception {
    for (int producers : new int[] {1, 16}) {
      Path dir = BenchDirs.privateDir(work.resolve("fsync-check-" + producers));
      try (AgentProcess agent = AgentProcess.create(dir.resolve("agent"), agentConfig(), List.of())) {
        agent.start();
        EnqueueLoad load = new EnqueueLoad(agent.socket(), Params.PARKED_URL, params.body());
        load.run(producers, 1.0);
        var counter = FsyncCount.attach(agent.pid(), dir.resolve("strace.txt"));
        if (counter.isEmpty()) {
          fsyncCheck.add("strace could not attach here; only the rate check applies.");
          return;
        }
        double seconds = 2.0;
        load.run(producers, seconds);
        long acked = load.lastAcked;
        long fsyncs = counter.get().stop();
        fsyncCheck.add(String.format(Locale.ROOT, "Under `strace -f -c -e trace=fsync,fdatasync`, %d producer(s): "
                + "%,d records acknowledged, %,d fsync/fdatasync calls in the agent = %.2f records per flush. %s",
            producers, acked, fsyncs, (double) acked / fsyncs, producers > 1 ? ""
                : fsyncs >= acked ? "PASS: every ack had a flush of its own."
                : "FAIL: fewer flushes than acknowledgements."));
      }
    }
  }
}
