package dev.holdfast.agent.cli;

import dev.holdfast.vault.VaultException;

/** Process exit codes, after sysexits(3); documented in docs/exit-codes.md. */
public enum ExitCode {
  OK(0),
  USAGE(64),
  DATA_ERROR(65),
  NO_INPUT(66),
  UNAVAILABLE(69),
  SOFTWARE(70),
  CANT_CREATE(73),
  IO_ERROR(74),
  TEMP_FAIL(75),
  NO_PERMISSION(77),
  CONFIG(78);

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
}
