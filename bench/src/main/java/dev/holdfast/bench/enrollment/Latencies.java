package dev.holdfast.bench.enrollment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Latency samples in nanoseconds; thread-safe to add to. */
final class Latencies {
  private final List<Long> nanos = new ArrayList<>();

  synchronized void add(long n) {
    nanos.add(n);
  }

  synchronized void addAll(Latencies other) {
    nanos.addAll(other.snapshot());
  }

  synchronized int count() {
    return nanos.size();
  }

  synchronized Collection<Long> snapshot() {
    return List.copyOf(nanos);
  }

  /** The value at quantile {@code q} (nearest rank), in milliseconds; NaN when empty. */
  synchronized double quantileMillis(double q) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
  }

  double medianMillis() {
    return quantileMillis(0.5);
  }

  double p99Millis() {
    return quantileMillis(0.99);
  }
}
