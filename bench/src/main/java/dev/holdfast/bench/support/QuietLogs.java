package dev.holdfast.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tinylog.configuration.Configuration;

/**
 * In-process benchmarks log as the shipped jars do (info level, written synchronously) but to a
 * temp file deleted on exit, so logging is part of the cost without filling the terminal.
 */
public final class QuietLogs {
  private QuietLogs() {}

  /** Must run before anything logs (tinylog freezes its configuration at first use); a no-op after. */
  public static void toTempFile() throws IOException {
    if (Configuration.isFrozen()) {
      return;
    }
    Path file = Files.createTempFile("holdfast-bench-", ".log");
    file.toFile().deleteOnExit();
    Configuration.replace(Map.of(
        "writer", "file",
        "writer.file", file.toString(),
        "writer.format", "{level}: {message}",
        "writer.level", "info",
        "level@org.eclipse.jetty", "warn",
        "level@org.eclipse.jetty.server.Response", "error"));
  }
}
