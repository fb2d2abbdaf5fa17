package dev.holdfast.bench.outbox;

import dev.holdfast.bench.support.ScratchDisk;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench/run outbox [quick]}: durable enqueue (1 and 16 producers), drain to a loopback
 * sink, and the outage chart, each with its baselines measured in the same run on the same disk,
 * rates and bytes written per record. Writes docs/benchmarks/outbox.md and
 * docs/benchmarks/outbox-outage.png. Run as root it writes to a file system of its own on a loop
 * device (see {@link ScratchDisk}). Bounded: fixed durations and record counts, every wait with a
 * deadline; loopback only.
 */
public final class OutboxBenchmark {
  private OutboxBenchmark() {}

  public static void run(String[] args) throws Exception {
    Params params = Params.of(args);
    double loadBefore = OutboxReport.loadAverage();
    Path base = Files.createDirectories(Path.of("bench/target/outbox-bench"));
    Path out = Path.of("docs/benchmarks");
    Files.createDirectories(out);
    try (ScratchDisk disk = ScratchDisk.under(base, 8L << 30)) {
      deleteContents(disk.root());
      System.out.println("writing to " + disk.describe());
      EnqueueBenchmark enqueue = new EnqueueBenchmark(params, disk);
      enqueue.run();
      DrainBenchmark drain = new DrainBenchmark(params, disk);
      drain.run();
      OutageBenchmark outage = new OutageBenchmark(params, disk.root());
      outage.run(out.resolve("outbox-outage.png"), drain.agentConfig());
      String report = new OutboxReport(params, enqueue, drain, outage, loadBefore, disk).render();
      Files.writeString(out.resolve("outbox.md"), report);
      System.out.println(report);
    }
  }

  private static void deleteContents(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir))
          .filter(p -> !p.startsWith(dir.resolve("lost+found"))).forEach(p -> p.toFile().delete());
    }
  }
}
