package dev.holdfast.bench.enrollment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * N concurrent workers (one thread each, like N devices), each doing a fixed number of operations
 * one after the other. Bounded: exactly {@code workers * perWorker} operations run, and any
 * failure aborts the run with its cause.
 */
final class Load {
  /** Operation {@code i} of worker {@code w}; returns its latency in nanoseconds. */
  @FunctionalInterface
  interface Operation {
    long run(int w, int i) throws Exception;
  }

  /** Operations per second over all workers, and every operation's latency. */
  record Result(double perSecond, Latencies latencies) {}

  private Load() {}

  static Result run(int workers, int perWorker, Operation operation) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    Latencies latencies = new Latencies();
    try {
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int worker = w;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perWorker; i++) {
            latencies.add(operation.run(worker, i));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(workers * (double) perWorker / seconds, latencies);
    } finally {
      pool.shutdownNow();
    }
  }
}
