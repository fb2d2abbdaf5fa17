package dev.holdfast.bench.enrollment;

import dev.holdfast.bench.support.SectionedReport;
import java.nio.file.Path;

/**
 * {@code docs/benchmarks/enrollment.md}: the enrollment-rate and the time-to-online parts each own
 * one section and replace only theirs.
 */
final class Report {
  static final SectionedReport RESULTS = new SectionedReport(Path.of("docs", "benchmarks", "enrollment.md"),
      "# Enrollment benchmarks\n\n"
      + "Written by `bench/run enrollment` (each part replaces its own section). Ratios compare figures\n"
      + "measured in the same run on the same machine; absolute figures depend on the machine.\n");

  private Report() {}
}
