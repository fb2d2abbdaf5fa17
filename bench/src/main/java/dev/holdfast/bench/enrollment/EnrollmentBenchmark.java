package dev.holdfast.bench.enrollment;

import dev.holdfast.bench.support.NamedArgs;
import dev.holdfast.bench.support.QuietLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code bench/run enrollment [--enrollments E] [--baseline-requests B] [--rounds R] [--threads T]
 * [--reference-count C] [--fsync-count F] [--online-runs K]}: part 1, whole device-side enrollments per second
 * with 1, 4 and 16 concurrent agents against the real API server, as ratios to a bare HTTPS POST
 * with a fresh connection to a constant-200 server on the same stack and to the CA's bare signing
 * rate; part 2 (skipped with {@code --online-runs 0}), the time from {@code holdfast-agent run} to
 * its retained online state on a real Mosquitto, as a ratio to the same JVM printing its version.
 */
public final class EnrollmentBenchmark {
  static final int[] CONCURRENCY = {1, 4, 16};

  private EnrollmentBenchmark() {}

  public static void run(String[] argv) throws Exception {
    run(argv, Report.RESULTS.file(), CONCURRENCY);
  }

  /** Writes to {@code report}; the smoke test points it at a temp file. */
  static void run(String[] argv, Path report, int[] concurrency) throws Exception {
    NamedArgs o = new NamedArgs(argv, Map.of("enrollments", 64, "baseline-requests", 128, "rounds", 3, "threads", 8,
        "reference-count", 200, "fsync-count", 10,
        "online-runs", 5), 0);
    QuietLogs.toTempFile();
    RatePart.Result rate = RatePart.run(o, concurrency);
    Report.RESULTS.at(report).writeSection("rate", RateReport.markdown(rate));
    if (o.get("online-runs") > 0) {
      Path work = Files.createTempDirectory("holdfast-bench-online-");
      try {
        System.out.println("agent start to online:");
        Report.RESULTS.at(report).writeSection("online", OnlineReport.markdown(OnlinePart.run(work, o.get("online-runs"))));
      } finally {
        TempDirs.delete(work);
      }
    }
  }
}
