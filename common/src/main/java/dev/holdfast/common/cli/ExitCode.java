package dev.holdfast.common.cli;

import dev.holdfast.common.config.ConfigException;
import dev.holdfast.vault.VaultException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * The exit codes of both programs, after sysexits(3), and above it the enrollment codes a bench
 * script must tell apart (docs/exit-codes.md lists both sides). The causes the two programs share
 * (the vault, the configuration file) are mapped here, once, so the same cause exits with the same
 * code on both sides; each program maps its own reasons in its own table.
 */
public enum ExitCode {
  OK(0),
  /** Agent {@code status}: the agent is not running, or it reported a problem (monitoring exits on this). */
  UNHEALTHY(1),
  USAGE(64),
  DATA_ERROR(65),
  NO_INPUT(66),
  UNAVAILABLE(69),
  SOFTWARE(70),
  CANT_CREATE(73),
  IO_ERROR(74),
  TEMP_FAIL(75),
  NO_PERMISSION(77),
  CONFIG(78),
  /** Enrollment: the vault already holds an identity and --force was not given. */
  ALREADY_ENROLLED(79),
  /** Enrollment: the provisioning server could not be reached. */
  SERVER_UNREACHABLE(80),
  /** Enrollment: TLS failed (the server's certificate is not from the pinned root, or names another host). */
  TLS_FAILURE(81),
  /** Enrollment: the token is unknown (or mistyped). */
  TOKEN_UNKNOWN(82),
  /** Enrollment: the token has expired. */
  TOKEN_EXPIRED(83),
  /** Enrollment: the token was already used. */
  TOKEN_USED(84),
  /** Enrollment: the token was revoked. */
  TOKEN_REVOKED(85),
  /** Enrollment: the certificate request was refused. */
  CSR_REFUSED(86),
  /** Enrollment: the response failed the device's checks; nothing was stored. */
  RESPONSE_INVALID(87),
  /** Enrollment: the server failed or answered something unexpected. */
  SERVER_ERROR(88);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** A vault (or key file) problem, the same on both sides. */
  public static ExitCode of(VaultException.Reason reason) {
    return switch (reason) {
      case MISSING -> NO_INPUT;
      case ALREADY_EXISTS -> CANT_CREATE;
      case WRONG_KEY, INSECURE_KEY_FILE, INSECURE_PATH -> NO_PERMISSION;
      case BAD_KEY_FILE, CORRUPT, NOT_A_VAULT -> DATA_ERROR;
      case NO_KEY -> CONFIG;
      case LOCKED -> TEMP_FAIL;
      case IO -> IO_ERROR;
    };
  }

  /**
   * The code of a failure both programs can meet: the vault, the configuration file, files named on
   * the command line, I/O; anything else is an internal error. Each program's table checks its own
   * failures first and leaves the rest to this.
   */
  public static ExitCode of(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof VaultException v) {
      return of(v.reason());
    }
    if (e instanceof ConfigException c) {
      return of(c.kind());
    }
    if (e instanceof NoSuchFileException) {
      return NO_INPUT;
    }
    if (e instanceof FileAlreadyExistsException) {
      return CANT_CREATE;
    }
    if (e instanceof IOException) {
      return IO_ERROR;
    }
    return SOFTWARE;
  }

  /** A configuration file problem, the same on both sides. */
  public static ExitCode of(ConfigException.Kind kind) {
    return switch (kind) {
      case MISSING_FILE -> NO_INPUT;
      case INVALID -> CONFIG;
    };
  }
}
