package dev.holdfast.agent.cli;

import dev.holdfast.common.cli.ExitCode;

/** A command failed in a way the user can fix; the message says how. */
public final class CliException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ExitCode exitCode;

  public CliException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
