package dev.holdfast.bench.outbox;

import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.FsyncCount;
import dev.holdfast.bench.support.ThreadCpu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures 1 and 2: durable enqueue through the socket into a running agent, 1 and 16 producers,
 * against the bare MapDB commit rate and the raw append + fsync rate measured in the same
 * repetition; plus the design floors of the vault's commit, and the fsync count check.
 */
final class EnqueueBenchmark {
  static final int MAX_WARM_UP_SECONDS = 30;
  private final Params params;
  private final Path work;
  final Samples bareMapDb = new Samples();
  final Samples pagesPerCommit = new Samples();
  final Samples pagesPerCommit16 = new Samples();
  final Samples stockMapDb = new Samples();
  final Samples rawFsync = new Samples();
  final Samples journalDesign = new Samples();
  final Samples previousJournalDesign = new Samples();
  final Samples appendLogDesign = new Samples();
  final Samples vaultOne = new Samples();
  final Samples bareSixteen = new Samples();
  final Samples vaultSixteen = new Samples();
  final Samples outboxOne = new Samples();
  final Samples outboxSixteen = new Samples();
  final Samples outboxOneDispatching = new Samples();
  final Samples localApiOne = new Samples();
  final Samples statusRoundTrips = new Samples();
  final Samples oneProducer = new Samples();
  final Samples sixteenProducers = new Samples();
  final Samples oneVsMapDb = new Samples();
  final Samples oneVsRaw = new Samples();
  final Samples sixteenVsMapDb = new Samples();
  final Samples sixteenVsRaw = new Samples();
  final Samples mapDbVsRaw = new Samples();
  final List<String> fsyncCheck = new ArrayList<>();
  /** How long the agent ran under load before the figures (until its JIT compiler went quiet). */
  final Samples warmUpSeconds = new Samples();
  /** CPU µs per record during the 16-producer figure: the agent's, and the producers' (this JVM). */
  final Samples agentCpuSixteen = new Samples();
  final Samples producerCpuSixteen = new Samples();
  /** The JIT compiler's part of the agent's CPU during the 1-producer figure. */
  final Samples compilerShareOne = new Samples();

  EnqueueBenchmark(Params params, Path work) {
    this.params = params;
    this.work = work;
  }

  void run() throws Exception {
    StorageBaselines storage = new StorageBaselines(params.sealedRecordBytes(Params.PARKED_URL));
    for (int rep = 0; rep < params.repetitions(); rep++) {
      Path dir = BenchDirs.privateDir(work.resolve("enqueue-" + rep));
      // the baselines bracket the agent's runs (before and after), so slow spells of the shared
      // disk hit both sides of the ratio alike
      StorageBaselines.MapDbRun before = storage.bareMapDb(dir, params.seconds());
      double rawBefore = storage.rawAppendForce(dir, params.seconds());
      double one;
      double sixteen;
      try (AgentProcess agent = AgentProcess.create(dir.resolve("agent"), agentConfig(), List.of())) {
        agent.start();
        EnqueueLoad load = new EnqueueLoad(agent.socket(), Params.PARKED_URL, params.body());
        warmUpSeconds.add(warmUp(agent, load));
        ThreadCpu beforeOne = ThreadCpu.of(agent.pid());
        one = load.run(1, params.seconds());
        Map<String, Double> cpu = ThreadCpu.of(agent.pid()).since(beforeOne);
        compilerShareOne.add(ThreadCpu.compiler(cpu) / ThreadCpu.total(cpu));
        ThreadCpu beforeSixteen = ThreadCpu.of(agent.pid());
        double producersBefore = ThreadCpu.ownProcessSeconds();
        sixteen = load.run(16, params.seconds());
        double records = sixteen * params.seconds();
        agentCpuSixteen.add(ThreadCpu.total(ThreadCpu.of(agent.pid()).since(beforeSixteen)) / records * 1e6);
        producerCpuSixteen.add((ThreadCpu.ownProcessSeconds() - producersBefore) / records * 1e6);
        statusRoundTrips.add(EnqueueLoad.statusOnly(agent.socket()).run(1, Math.min(1.0, params.seconds())));
        agent.stop();
      }
      StorageBaselines.MapDbRun after = storage.bareMapDb(dir, params.seconds());
      double raw = (rawBefore + storage.rawAppendForce(dir, params.seconds())) / 2;
      StorageBaselines.MapDbRun bare = new StorageBaselines.MapDbRun((before.perSecond() + after.perSecond()) / 2,
          (before.pagesPerCommit() + after.pagesPerCommit()) / 2);
      int pages = (int) Math.round(bare.pagesPerCommit());
      bareMapDb.add(bare.perSecond());
      pagesPerCommit.add(bare.pagesPerCommit());
      rawFsync.add(raw);
      oneProducer.add(one);
      sixteenProducers.add(sixteen);
      oneVsMapDb.add(one / bare.perSecond());
      oneVsRaw.add(one / raw);
      sixteenVsMapDb.add(sixteen / bare.perSecond());
      sixteenVsRaw.add(sixteen / raw);
      mapDbVsRaw.add(bare.perSecond() / raw);
      vaultOne.add(storage.vaultWrite(dir, 1, params.seconds()) / bare.perSecond());
      StorageBaselines.MapDbRun bare16 = storage.bareMapDb(dir, 16, params.seconds());
      bareSixteen.add(bare16.perSecond() / bare.perSecond());
      pagesPerCommit16.add(bare16.pagesPerCommit());
      vaultSixteen.add(storage.vaultWrite(dir, 16, params.seconds()) / bare.perSecond());
      outboxOne.add(InProcessOutbox.enqueueRate(dir, params, 1, params.seconds(), false) / bare.perSecond());
      outboxOneDispatching.add(InProcessOutbox.enqueueRate(dir, params, 1, params.seconds(), true) / bare.perSecond());
      localApiOne.add(InProcessOutbox.enqueueRate(dir, params, 1, params.seconds(), true, true) / bare.perSecond());
      outboxSixteen.add(InProcessOutbox.enqueueRate(dir, params, 16, params.seconds(), false) / bare.perSecond());
      System.out.printf(Locale.ROOT, "  diagnostics rep %d (÷ bare): vault %.2f, outbox %.2f, +dispatcher %.2f,"
          + " +local API in-process %.2f%n", rep + 1, vaultOne.last(), outboxOne.last(), outboxOneDispatching.last(),
          localApiOne.last());
      stockMapDb.add(storage.stockMapDb(dir, params.seconds()) / raw);
      journalDesign.add(storage.rawJournalDesign(dir, pages, false, params.seconds()) / raw);
      previousJournalDesign.add(storage.rawJournalDesign(dir, pages, true, params.seconds()) / raw);
      appendLogDesign.add(storage.rawAppendLogDesign(dir, pages, 1000, params.seconds()) / raw);
      System.out.printf(Locale.ROOT, "enqueue rep %d: bare MapDB %,.0f/s (%.1f pages/commit), raw fsync %,.0f/s,"
          + " 1 producer %,.0f/s (%.2f), 16 producers %,.0f/s (%.1f)%n", rep + 1, bare.perSecond(),
          bare.pagesPerCommit(), raw, one, one / bare.perSecond(), sixteen, sixteen / bare.perSecond());
    }
    checkFsyncs();
  }

  /**
   * Runs 1 and 16 producers in turns, a second each, until the agent's JIT compiler used under a
   * tenth of a CPU in the last second (at least 4 s, at most {@link #MAX_WARM_UP_SECONDS}): the
   * agent is a long-running service, and a fresh JVM compiles the request path for many seconds,
   * on the same 2 vCPUs the figure needs. Returns the seconds it took.
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

  /**
   * Under strace: with 1 producer every ack must have had its own commit's 2 fsyncs before it;
   * with 16, the fsyncs per record show how many records a group commit carried.
   */
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
        long acked = Math.round(load.run(producers, seconds) * seconds);
        long fsyncs = counter.get().stop();
        fsyncCheck.add(String.format(Locale.ROOT, "Under `strace -f -c -e trace=fsync,fdatasync`, %d producer(s): "
                + "%,d records acknowledged, %,d fsync/fdatasync calls in the agent = %.2f records per commit "
                + "(2 flushes each). %s", producers, acked, fsyncs, 2.0 * acked / fsyncs, producers > 1 ? ""
                : fsyncs >= 2 * acked ? "PASS: every ack had its own durable commit."
                : "FAIL: fewer fsyncs than one commit per ack needs."));
      }
    }
  }
}
