package dev.holdfast.agent.config;

import java.util.Locale;

/** Log levels, most verbose first; the names are what the configuration and --log-level take. */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
