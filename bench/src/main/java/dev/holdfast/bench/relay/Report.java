package dev.holdfast.bench.relay;

import dev.holdfast.bench.support.SectionedReport;
import java.nio.file.Path;

/**
 * {@code docs/benchmarks/relay.md}: the relay and issue benchmarks each own one section and replace
 * only theirs, so running one keeps the other's last results.
 */
final class Report {
  static final SectionedReport RESULTS = new SectionedReport(Path.of("docs", "benchmarks", "relay.md"),
      "# Relay and issuing benchmarks\n\n"
      + "Written by `bench/run relay` and `bench/run issue` (each replaces its own section). Ratios compare\n"
      + "figures measured in the same run on the same machine; absolute figures depend on the machine.\n");

  private Report() {}
}
