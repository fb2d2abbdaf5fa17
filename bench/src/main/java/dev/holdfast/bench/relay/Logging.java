package dev.holdfast.bench.relay;

import java.nio.file.Path;
import java.util.Map;

/**
 * The relay logs as the shipped jar does (info level, same format, written synchronously), but to
 * a temp file (deleted on exit) instead of the terminal, so logging is part of the cost.
 */
final class Logging {
  private Logging() {}

  /** Must run before anything logs: tinylog's configuration is frozen at first use. */
  static Path toTempFile() throws java.io.IOException {
    Path file = java.nio.file.Files.createTempFile("holdfast-bench-", ".log");
    file.toFile().deleteOnExit();
    org.tinylog.configuration.Configuration.replace(Map.of(
        "writer", "file",
        "writer.file", file.toString(),
        "writer.format", "{level}: {message}",
        "writer.level", "info"));
    return file;
  }
}
