package dev.holdfast.bench.demo;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/** Prints the story's lines, each with the time since the story began: {@code [ 3.2s] ...}. */
final class Narrator {
  private final PrintStream out;
  private final long start = System.nanoTime();

  Narrator(PrintStream out) {
    this.out = out;
  }

  void say(String line) {
    double seconds = (System.nanoTime() - start) / (double) TimeUnit.SECONDS.toNanos(1);
    out.printf("[%5.1fs] %s%n", seconds, line);
    out.flush();
  }

  /** A line without a timestamp (instructions, details under a timed line). */
  void plain(String line) {
    out.println(line);
    out.flush();
  }
}
