package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.LogLevel;
import org.tinylog.configuration.Configuration;

/**
 * tinylog to standard error (systemd's journal captures it; standard output stays for data such
 * as {@code secret get}). The journal adds timestamps, so lines carry only level and message.
 */
final class Logging {
  private Logging() {}

  /** Configures the level once; later calls (in-process tests) keep the first configuration. */
  static void configure(LogLevel level) {
    if (Configuration.isFrozen()) {
      return;
    }
    Configuration.set("writer", "console");
    Configuration.set("writer.stream", "err");
    Configuration.set("writer.level", level.configName());
    Configuration.set("writer.format", "{level}: {message}");
    if (level.compareTo(LogLevel.INFO) >= 0) {
      // Pi4J (GPIO) narrates its start at info through SLF4J; its warnings are what the journal needs
      Configuration.set("level@com.pi4j", "warn");
    }
  }
}
