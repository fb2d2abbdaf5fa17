package dev.holdfast.bench.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one task per item at once (each starts a JVM, so together they take the time of one). */
final class Parallel {
  /** What is done for one item. */
  @FunctionalInterface
  interface Task<T, R> {
    R apply(T item) throws Exception;
  }

  private Parallel() {}

  static <T, R> List<R> map(List<T> items, Task<T, R> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, items.size()));
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        Callable<R> call = () -> task.apply(item);
        futures.add(pool.submit(call));
      }
      List<R> out = new ArrayList<>();
      for (Future<R> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          throw e;
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
