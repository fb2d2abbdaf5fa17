package dev.holdfast.agent.cli;

import dev.holdfast.agent.identity.EnrollmentException;
import dev.holdfast.vault.VaultException;

/** Process exit codes, after sysexits(3); documented in docs/exit-codes.md. */
public enum ExitCode {
  OK(0),
  /** {@code status}: the agent is not running, or it reported a problem (monitoring exits on this). */
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
  /** {@code enroll}: the vault already holds an identity and --force was not given. */
  ALREADY_ENROLLED(79),
  /** {@code enroll}: the provisioning server could not be reached. */
  SERVER_UNREACHABLE(80),
  /** {@code enroll}: TLS failed (the server's certificate is not from the pinned root, or names another host). */
  TLS_FAILURE(81),
  /** {@code enroll}: the server does not know the token (or it is mistyped). */
  TOKEN_UNKNOWN(82),
  /** {@code enroll}: the token has expired. */
  TOKEN_EXPIRED(83),
  /** {@code enroll}: the token was already used. */
  TOKEN_USED(84),
  /** {@code enroll}: the token was revoked. */
  TOKEN_REVOKED(85),
  /** {@code enroll}: the server refused the CSR. */
  CSR_REFUSED(86),
  /** {@code enroll}: the response failed the device's checks; nothing was stored. */
  RESPONSE_INVALID(87),
  /** {@code enroll}: the server failed or answered something unexpected. */
  SERVER_ERROR(88);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ExitCode of(VaultException.Reason reason) {
    return switch (reason) {
      case MISSING -> NO_INPUT;
      case ALREADY_EXISTS -> CANT_CREATE;
      case WRONG_KEY, INSECURE_KEY_FILE -> NO_PERMISSION;
      case BAD_KEY_FILE, CORRUPT, NOT_A_VAULT -> DATA_ERROR;
      case NO_KEY -> CONFIG;
      case LOCKED -> TEMP_FAIL;
      case IO -> IO_ERROR;
    };
  }

  public static ExitCode of(EnrollmentException.Reason reason) {
    return switch (reason) {
      case ALREADY_ENROLLED -> ALREADY_ENROLLED;
      case UNREACHABLE -> SERVER_UNREACHABLE;
      case TLS -> TLS_FAILURE;
      case TOKEN_UNKNOWN -> TOKEN_UNKNOWN;
      case TOKEN_EXPIRED -> TOKEN_EXPIRED;
      case TOKEN_USED -> TOKEN_USED;
      case TOKEN_REVOKED -> TOKEN_REVOKED;
      case CSR_REFUSED -> CSR_REFUSED;
      case RESPONSE_INVALID -> RESPONSE_INVALID;
      case SERVER_ERROR -> SERVER_ERROR;
      case BAD_FLEET_ROOT -> DATA_ERROR;
      case MISSING_INPUT -> NO_INPUT;
    };
  }
}
