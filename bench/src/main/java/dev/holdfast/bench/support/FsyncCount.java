package dev.holdfast.bench.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the fsync and fdatasync calls of a process (every thread) with {@code strace -f -c}.
 * strace slows every traced thread down: count in a pass whose time is not the figure.
 */
public final class FsyncCount implements AutoCloseable {
  private static final Pattern ROW =
      Pattern.compile("^\\s*[0-9.]+\\s+[0-9.]+\\s+\\d+\\s+(\\d+)(?:\\s+\\d+)?\\s+(fsync|fdatasync)\\s*$");
  private final Process strace;
  private final Path output;

  private FsyncCount(Process strace, Path output) {
    this.strace = strace;
    this.output = output;
  }

  /** Counts this JVM's calls; empty when strace is missing or may not attach. */
  public static Optional<FsyncCount> attach(Path output) throws Exception {
    return attach(ProcessHandle.current().pid(), output);
  }

  /** Counts the calls of process {@code pid}; empty when strace is missing or may not attach. */
  public static Optional<FsyncCount> attach(long pid, Path output) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(List.of("strace", "-f", "-c", "-e", "trace=fsync,fdatasync", "-o", output.toString(),
          "-p", Long.toString(pid))).redirectErrorStream(true)
          .redirectOutput(output.resolveSibling(output.getFileName() + ".err").toFile()).start();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
    TimeUnit.SECONDS.sleep(1); // strace attaches to each thread; give it time before the pass starts
    return p.isAlive() ? Optional.of(new FsyncCount(p, output)) : Optional.empty();
  }

  /** Detaches and returns the number of fsync + fdatasync calls seen. */
  public long stop() throws Exception {
    strace.destroy();
    if (!strace.waitFor(30, TimeUnit.SECONDS)) {
      strace.destroyForcibly();
    }
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
