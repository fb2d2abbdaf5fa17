package dev.holdfast.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds a process has used, per thread name (digits folded: {@code http-3} counts as
 * {@code http-N}), from {@code /proc/PID/task/TID/stat}; user and system time together. Linux only.
 */
public final class ThreadCpu {
  /** Clock ticks per second of {@code /proc}'s times (USER_HZ, 100 on every Linux build in use). */
  private static final double TICKS = 100.0;

  private final Map<String, Double> seconds;

  private ThreadCpu(Map<String, Double> seconds) {
    this.seconds = seconds;
  }

  /** A snapshot of {@code pid}'s threads now (threads that ended are not counted). */
  public static ThreadCpu of(long pid) throws IOException {
    Map<String, Double> out = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS; // utime + stime
        out.merge(name, cpu, Double::sum);
      }
    }
    return new ThreadCpu(out);
  }

  /** CPU seconds per thread name used between {@code before} and this snapshot. */
  public Map<String, Double> since(ThreadCpu before) {
    Map<String, Double> out = new TreeMap<>();
    seconds.forEach((name, s) -> out.put(name, Math.max(0, s - before.seconds.getOrDefault(name, 0.0))));
    return out;
  }

  /** The JIT compiler threads' part of {@code perThread} (HotSpot names them "C1/C2 CompilerThreadN"). */
  public static double compiler(Map<String, Double> perThread) {
    return perThread.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  /** CPU seconds this JVM has used so far, every thread. */
  public static double ownProcessSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  /** The sum over every thread. */
  public static double total(Map<String, Double> perThread) {
    return perThread.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
