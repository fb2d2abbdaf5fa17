package dev.holdfast.bench.outbox;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench/run outbox [quick]}: durable enqueue (1 and 16 producers), drain to a loopback
 * sink, and the outage chart, each with its baseline measured in the same run. Writes
 * docs/benchmarks/outbox.md and docs/benchmarks/outbox-outage.png. Bounded: fixed durations and
 * record counts, every wait with a deadline; loopback only.
 */
public final class OutboxBenchmark {
  private OutboxBenchmark() {}

  public static void run(String[] args) throws Exception {
    Params params = Params.of(args);
    double loadBefore = OutboxReport.loadAverage();
    Path work = Files.createDirectories(Path.of("bench/target/outbox-bench"));
    deleteContents(work);
    Path out = Path.of("docs/benchmarks");
    Files.createDirectories(out);
    EnqueueBenchmark enqueue = new EnqueueBenchmark(params, work);
    enqueue.run();
    DrainBenchmark drain = new DrainBenchmark(params, work);
    drain.run();
    OutageBenchmark outage = new OutageBenchmark(params, work);
    outage.run(out.resolve("outbox-outage.png"), drain.agentConfig());
    String report = new OutboxReport(params, enqueue, drain, outage, loadBefore).render();
    Files.writeString(out.resolve("outbox.md"), report);
    System.out.println(report);
  }

  private static void deleteContents(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
    }
  }
}
