package dev.holdfast.agent.cli;

import dev.holdfast.agent.gpio.GpioException;
import dev.holdfast.agent.identity.EnrollmentException;
import dev.holdfast.agent.local.LocalError;
import dev.holdfast.common.cli.ExitCode;

/**
 * The agent's exit-code table: one {@code switch} per reason enum of its own; the causes it shares
 * with the provisioning side (vault, configuration file, files, I/O) are mapped once, in {@link
 * ExitCode#of(Throwable)}.
 * docs/exit-codes.md lists every code.
 */
final class ExitCodes {
  private ExitCodes() {}

  /** Any failure of a command: the agent's own exceptions first, then the causes both sides share. */
  static ExitCode of(Throwable e) {
    if (e instanceof GpioException g) {
      return of(g.reason());
    }
    return ExitCode.of(e);
  }

  /** GPIO at start: a pin that cannot be used as configured is a configuration error. */
  static ExitCode of(GpioException.Reason reason) {
    return switch (reason) {
      case NO_GPIO, UNSUPPORTED_BOARD, NO_SUCH_PIN, PIN_BUSY, BAD_MESSAGE -> ExitCode.CONFIG;
      case NO_PERMISSION -> ExitCode.NO_PERMISSION;
      case FAILED -> ExitCode.UNAVAILABLE;
    };
  }

  /** A refusal of the outbox (the local API's error code). */
  static ExitCode of(LocalError error) {
    return switch (error) {
      case BAD_REQUEST -> ExitCode.USAGE;
      case INVALID, TOO_LARGE, CONFLICT -> ExitCode.DATA_ERROR;
      case FULL, CLOSED -> ExitCode.TEMP_FAIL;
      case NOT_FOUND -> ExitCode.NO_INPUT;
      case STORAGE -> ExitCode.IO_ERROR;
      case INTERNAL -> ExitCode.SOFTWARE;
    };
  }

  static ExitCode of(EnrollmentException.Reason reason) {
    return switch (reason) {
      case ALREADY_ENROLLED -> ExitCode.ALREADY_ENROLLED;
      case UNREACHABLE -> ExitCode.SERVER_UNREACHABLE;
      case TLS -> ExitCode.TLS_FAILURE;
      case TOKEN_UNKNOWN -> ExitCode.TOKEN_UNKNOWN;
      case TOKEN_EXPIRED -> ExitCode.TOKEN_EXPIRED;
      case TOKEN_USED -> ExitCode.TOKEN_USED;
      case TOKEN_REVOKED -> ExitCode.TOKEN_REVOKED;
      case CSR_REFUSED -> ExitCode.CSR_REFUSED;
      case RATE_LIMITED -> ExitCode.TEMP_FAIL;
      case RESPONSE_INVALID -> ExitCode.RESPONSE_INVALID;
      case SERVER_ERROR -> ExitCode.SERVER_ERROR;
      case BAD_FLEET_ROOT -> ExitCode.DATA_ERROR;
      case MISSING_INPUT -> ExitCode.NO_INPUT;
    };
  }
}
