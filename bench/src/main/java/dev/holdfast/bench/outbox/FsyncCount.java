package dev.holdfast.bench.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts fsync and fdatasync calls of a running process with {@code strace -f -c} (every thread),
 * to show how many acknowledged records each fsync carried.
 */
final class FsyncCount implements AutoCloseable {
  private static final Pattern ROW = Pattern.compile("^\\s*[0-9.]+\\s+[0-9.]+\\s+\\d+\\s+(\\d+)(?:\\s+\\d+)?\\s+(fsync|fdatasync)\\s*$");
  private final Process strace;
  private final Path output;

  private FsyncCount(Process strace, Path output) {
    this.strace = strace;
    this.output = output;
  }

  /** Empty when strace is missing or may not attach. */
  static java.util.Optional<FsyncCount> attach(long pid, Path output) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(List.of("strace", "-f", "-c", "-e", "trace=fsync,fdatasync", "-o", output.toString(),
          "-p", Long.toString(pid))).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      return java.util.Optional.empty();
    }
    Thread.sleep(1000); // strace attaches to each thread; give it time before the load starts
    if (!p.isAlive()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new FsyncCount(p, output));
  }

  /** Detaches and returns the number of fsync + fdatasync calls seen. */
  long stop() throws Exception {
    strace.destroy();
    strace.waitFor(30, TimeUnit.SECONDS);
    long calls = 0;
    for (String line : Files.readAllLines(output)) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        calls += Long.parseLong(m.group(1));
      }
    }
    return calls;
  }

  @Override
  public void close() {
    strace.destroyForcibly();
  }
}
