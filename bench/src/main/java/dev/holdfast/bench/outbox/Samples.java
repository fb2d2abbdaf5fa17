package dev.holdfast.bench.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Repeated measurements of one figure: median and spread. */
final class Samples {
  private final List<Double> values = new ArrayList<>();

  void add(double value) {
    values.add(value);
  }

  double last() {
    return values.get(values.size() - 1);
  }

  double median() {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  double min() {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** (max - min) / median: how far apart the repetitions were. */
  double spread() {
    return (max() - min()) / median();
  }

  /** e.g. "1,234 (1,100-1,300, ±9%)". */
  String describe() {
    return String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f, spread %.0f%%)", median(), min(), max(), 100 * spread());
  }

  /** The same for ratios. */
  String describeRatio() {
    return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", median(), min(), max());
  }
}
