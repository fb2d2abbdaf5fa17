package dev.holdfast.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * Entry point of {@code bench/run NAME [ARGS...]}: one benchmark per name. Every benchmark
 * measures its own baseline in the same run (these machines are noisy), prints ratios, and writes
 * its results to {@code docs/benchmarks/}.
 */
public final class Benchmarks {
  /** One runnable benchmark. */
  @FunctionalInterface
  public interface Benchmark {
    void run(String[] args) throws Exception;
  }

  private static final Map<String, Benchmark> ALL = new TreeMap<>();

  static {
    // name -> benchmark; each entry's class documents what it measures and against which baseline
    ALL.put("relay", dev.holdfast.bench.relay.RelayBenchmark::run);
    ALL.put("issue", dev.holdfast.bench.relay.IssueBenchmark::run);
    ALL.put("kill-cycles", dev.holdfast.bench.crash.KillCyclesBenchmark::run);
    ALL.put("outbox", dev.holdfast.bench.outbox.OutboxBenchmark::run);
    ALL.put("enrollment", dev.holdfast.bench.enrollment.EnrollmentBenchmark::run);
    ALL.put("footprint", dev.holdfast.bench.footprint.FootprintBenchmark::run);
    ALL.put("rotation", dev.holdfast.bench.rotation.RotationBenchmark::run);
    ALL.put("fleet-rotation", dev.holdfast.bench.rotation.FleetRotationBenchmark::run);
    // not a benchmark: the fleet story of ./holdfast demo, in the jar that carries the Fleet harness
    ALL.put("demo", dev.holdfast.bench.demo.Demo::run);
  }

  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !ALL.containsKey(args[0])) {
      System.err.println("usage: bench/run NAME [ARGS...]; NAME is one of " + ALL.keySet());
      System.exit(64);
    }
    String[] rest = new String[args.length - 1];
    System.arraycopy(args, 1, rest, 0, rest.length);
    ALL.get(args[0]).run(rest);
  }
}
