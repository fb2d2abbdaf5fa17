package dev.holdfast.bench.outbox;

import dev.holdfast.agent.local.LocalApiClient;
import dev.holdfast.agent.local.LocalApiHandler;
import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.RecordingSink;
import dev.holdfast.bench.support.ScratchDisk;
import dev.holdfast.bench.support.ThreadCpu;
import dev.holdfast.bench.support.Writes;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figure 3: 10,000 records queued while the sink refuses connections, then the sink opens and
 * the drain is timed until it holds every record; divided by a bare HttpClient loop with the same
 * concurrency sending the same requests to the same sink, in the same repetition.
 *
 * <p>Each repetition starts one agent and drains {@link Params#drainRounds()} times, each round to a new sink
 * (new destinations): the first drain after the agent starts runs while the JIT compiler is still
 * at work on the delivery path; the last one shows the agent as it runs for days. The bare loop
 * runs as many rounds in this JVM; the figure pairs the last rounds of both.
 */
final class DrainBenchmark {
  static final long DEADLINE_SECONDS = 300;
  private final Params params;
  private final ScratchDisk disk;
  private final Path work;
  final Samples agentRate = new Samples();
  /** Bytes written per delivered record while the last round drains (removals, their stats, retirements). */
  final Samples removalBytes = new Samples();
  final Samples removalProcessBytes = new Samples();
  /** The data directory's allocated bytes: after the agent's first start (vault + one segment) and after the last drain. */
  final Samples floorBytes = new Samples();
  final Samples drainedBytes = new Samples();
  final Samples outboxDrainedBytes = new Samples();
  /** The most the outbox's files took while records were queued, and the records' stored bytes then. */
  final Samples peakOutboxBytes = new Samples();
  final Samples peakHeldBytes = new Samples();
  final Samples firstDrainRate = new Samples();
  final Samples baselineRate = new Samples();
  final Samples ratio = new Samples();
  final Samples firstDrainRatio = new Samples();
  final Samples duplicates = new Samples();
  /** The agent's CPU time per delivered record, µs, last round; and the JIT compiler's part of it. */
  final Samples agentCpuMicros = new Samples();
  final Samples compilerShareFirst = new Samples();
  final Samples compilerShareLast = new Samples();
  /** The bench JVM's CPU time per request (client and sink) in the bare loop, µs, last round. */
  final Samples baselineCpuMicros = new Samples();
  /** The sink's CPU time per record while the agent drains, µs, last round. */
  final Samples sinkCpuMicros = new Samples();

  DrainBenchmark(Params params, ScratchDisk disk) {
    this.params = params;
    this.disk = disk;
    this.work = disk.root();
  }

  /** Retries come quickly so that the drain starts soon after the sink opens (at most the cap). */
  List<String> agentConfig() {
    return params.agentConfig("50ms", "250ms");
  }

  void run() throws Exception {
    int perLane = params.drainRecords() / params.lanes();
    for (int rep = 0; rep < params.repetitions(); rep++) {
      Path dir = BenchDirs.privateDir(work.resolve("drain-" + rep));
      double agent = 0;
      try (AgentProcess process = AgentProcess.create(dir.resolve("agent"), agentConfig(), List.of())) {
        process.start();
        floorBytes.add(ScratchDisk.allocatedBytes(process.dataDir()));
        for (int round = 1; round <= params.drainRounds(); round++) {
          Round r = drainOnce(process, perLane, round == params.drainRounds());
          agent = r.rate();
          if (round == 1) {
            firstDrainRate.add(r.rate());
            compilerShareFirst.add(r.compilerShare());
          }
          if (round == params.drainRounds()) {
            agentCpuMicros.add(r.agentCpuMicros());
            sinkCpuMicros.add(r.sinkCpuMicros());
            compilerShareLast.add(r.compilerShare());
            duplicates.add(r.duplicates());
          }
          System.out.printf(Locale.ROOT, "drain rep %d round %d: agent %,.0f/s, %.0f µs CPU per record (JIT %.0f%%)%n",
              rep + 1, round, r.rate(), r.agentCpuMicros(), 100 * r.compilerShare());
        }
        drainedBytes.add(ScratchDisk.allocatedBytes(process.dataDir()));
        outboxDrainedBytes.add(ScratchDisk.allocatedBytes(process.dataDir().resolve("outbox")));
        process.stop();
      }
      double baseline = 0;
      for (int round = 1; round <= params.drainRounds(); round++) {
        try (RecordingSink sink = new RecordingSink()) {
          List<URI> urls = params.laneUrls(sink).stream().map(URI::create).toList();
          double cpu = ThreadCpu.ownProcessSeconds();
          long started = System.nanoTime();
          baseline = HttpBaseline.run(urls, perLane, params.body());
          double requests = (double) perLane * urls.size();
          if (round == params.drainRounds()) {
            baselineCpuMicros.add((ThreadCpu.ownProcessSeconds() - cpu) / requests * 1e6);
          }
          System.out.printf(Locale.ROOT, "drain rep %d round %d: bare HttpClient %,.0f/s (%.2f s)%n", rep + 1, round,
              baseline, (System.nanoTime() - started) / 1e9);
        }
      }
      agentRate.add(agent);
      baselineRate.add(baseline);
      ratio.add(agent / baseline);
      firstDrainRatio.add(firstDrainRate.last() / baseline);
      System.out.printf(Locale.ROOT, "drain rep %d: agent %,.0f/s (first drain %,.0f/s), bare HttpClient %,.0f/s "
          + "(%.2f)%n", rep + 1, agent, firstDrainRate.last(), baseline, agent / baseline);
    }
  }

  /** What one drain measured. */
  record Round(double rate, double agentCpuMicros, double compilerShare, double sinkCpuMicros, long duplicates) {}

  /** Queues the records with a new sink refusing connections, opens it, times the drain. */
  private Round drainOnce(AgentProcess process, int perLane, boolean last) throws Exception {
    try (RecordingSink sink = RecordingSink.down()) {
      List<String> urls = params.laneUrls(sink);
      EnqueueLoad.fill(process.socket(), urls, perLane, params.body());
      long queued = queued(process.socket());
      if (queued != (long) perLane * urls.size()) {
        throw new IllegalStateException("expected " + perLane * urls.size() + " queued, found " + queued);
      }
      if (last) {
        peakOutboxBytes.add(ScratchDisk.allocatedBytes(process.dataDir().resolve("outbox")));
        peakHeldBytes.add(status(process.socket(), "bytes"));
      }
      Writes writes = Writes.now(disk, process.pid());
      ThreadCpu before = ThreadCpu.of(process.pid());
      double sinkBefore = ThreadCpu.ownProcessSeconds(); // the sink's: nothing else runs in this JVM meanwhile
      long started = System.nanoTime();
      sink.mode(RecordingSink.Mode.ACCEPT);
      awaitKeys(sink, queued, started);
      double seconds = (System.nanoTime() - started) / 1e9;
      Map<String, Double> cpu = ThreadCpu.of(process.pid()).since(before);
      if (last) {
        awaitRemoved(process.socket(), started);
        Thread.sleep(500); // the retirement of emptied segments runs right after the last removal commits
        Writes w = Writes.now(disk, process.pid()).since(writes);
        removalBytes.add(w.per(queued));
        removalProcessBytes.add(w.processPer(queued));
      }
      double total = ThreadCpu.total(cpu);
      double compiler = ThreadCpu.compiler(cpu);
      return new Round(queued / seconds, total / queued * 1e6, compiler / total,
          (ThreadCpu.ownProcessSeconds() - sinkBefore) / queued * 1e6, sink.duplicates());
    }
  }

  private static void awaitKeys(RecordingSink sink, long expected, long started) throws InterruptedException {
    while (sink.effectCount() < expected) {
      if (System.nanoTime() - started > DEADLINE_SECONDS * 1_000_000_000L) {
        throw new IllegalStateException("the sink had " + sink.effectCount() + " of " + expected + " after "
            + DEADLINE_SECONDS + " s");
      }
      Thread.sleep(5);
    }
  }

  static long queued(Path socket) throws Exception {
    return status(socket, "queued");
  }

  static long status(Path socket, String field) throws Exception {
    try (LocalApiClient client = LocalApiClient.connect(socket)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> status = (Map<String, Object>) client.call(Map.of("op", "status")).get("status");
      return LocalApiHandler.number(status.get(field));
    }
  }

  /** Until every delivered record's removal is durable (the queue reads empty). */
  private static void awaitRemoved(Path socket, long started) throws Exception {
    while (queued(socket) > 0) {
      if (System.nanoTime() - started > DEADLINE_SECONDS * 1_000_000_000L) {
        throw new IllegalStateException("records still queued " + DEADLINE_SECONDS + " s after the drain began");
      }
      Thread.sleep(5);
    }
  }
}
