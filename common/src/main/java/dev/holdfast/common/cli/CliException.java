package dev.holdfast.common.cli;


/**
 * A command failed in a way the user can fix: the message (one line on standard error) says how,
 * the exit code says what kind of failure it was. Both programs end a command this way.
 */
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
