package dev.holdfast.provisioning.cli;

import dev.holdfast.common.Result;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.provisioning.apikeys.KeyRefusal;
import dev.holdfast.provisioning.broker.AclCheck;
import dev.holdfast.provisioning.broker.BrokerReloadException;
import dev.holdfast.provisioning.ca.CaRefusal;
import dev.holdfast.provisioning.ca.CsrRefusal;
import dev.holdfast.provisioning.credentials.OperatorRefusal;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.service.PingException;
import dev.holdfast.provisioning.tokens.TokenRefusal;
import java.util.function.Function;

/**
 * The provisioning side's exit-code table: one {@code switch} per reason enum of its own; the causes
 * it shares with the agent (vault, configuration file, files, I/O) are mapped once, in {@link
 * ExitCode#of(Throwable)}, and an enrollment refusal exits with the code the agent uses for it.
 * docs/exit-codes.md lists every code.
 */
final class ExitCodes {
  private ExitCodes() {}

  /** The value of a success, or the refusal as a {@link CliException} with its code from {@code table}. */
  static <T, R extends Enum<R>> T check(Result<T, R> result, Function<R, ExitCode> table) throws CliException {
    return result.orElseThrow(r -> new CliException(table.apply(r.reason()), r.message()));
  }

  static ExitCode of(CaRefusal reason) {
    return switch (reason) {
      case NOT_INITIALIZED, UNKNOWN_CERTIFICATE, UNKNOWN_DEVICE -> ExitCode.NO_INPUT;
      case ALREADY_INITIALIZED -> ExitCode.CANT_CREATE;
      case DEVICE_REVOKED, BAD_DEVICE_ID, LIFETIME -> ExitCode.DATA_ERROR;
    };
  }

  static ExitCode of(CsrRefusal reason) {
    return switch (reason) {
      case MALFORMED, BAD_SIGNATURE, KEY_TYPE, SIGNATURE_ALGORITHM -> ExitCode.DATA_ERROR;
    };
  }

  static ExitCode of(KeyRefusal reason) {
    return switch (reason) {
      case UNKNOWN_KEY, UNKNOWN_DEVICE -> ExitCode.NO_INPUT;
      case SCOPE, LIFETIME -> ExitCode.DATA_ERROR;
    };
  }

  static ExitCode of(TokenRefusal reason) {
    return switch (reason) {
      case UNKNOWN_TOKEN -> ExitCode.NO_INPUT;
      case LIMITS, ALREADY_REDEEMED -> ExitCode.DATA_ERROR;
    };
  }

  static ExitCode of(OperatorRefusal reason) {
    return switch (reason) {
      case UNKNOWN_OPERATOR -> ExitCode.NO_INPUT;
      case EXISTS, LIFETIME -> ExitCode.DATA_ERROR;
    };
  }

  /** An air-gapped enrollment refused: the same codes the agent's {@code enroll} exits with. */
  static ExitCode of(EnrollError.Code code) {
    return switch (code) {
      case TOKEN_MALFORMED, TOKEN_UNKNOWN -> ExitCode.TOKEN_UNKNOWN;
      case TOKEN_EXPIRED -> ExitCode.TOKEN_EXPIRED;
      case TOKEN_USED -> ExitCode.TOKEN_USED;
      case TOKEN_REVOKED -> ExitCode.TOKEN_REVOKED;
      case CSR_REJECTED -> ExitCode.CSR_REFUSED;
      case BAD_REQUEST, TOO_LARGE, INTERNAL -> ExitCode.DATA_ERROR;
      case UNAVAILABLE, RATE_LIMITED -> ExitCode.TEMP_FAIL;
    };
  }

  static ExitCode of(RegistryException.Reason reason) {
    return switch (reason) {
      case CORRUPT -> ExitCode.DATA_ERROR;
      case IO -> ExitCode.IO_ERROR;
      case LOCKED -> ExitCode.TEMP_FAIL;
    };
  }

  static ExitCode of(PingException.Reason reason) {
    return switch (reason) {
      case BROKER_UNREACHABLE -> ExitCode.IO_ERROR;
      case REFUSED -> ExitCode.NO_PERMISSION;
      case TIMEOUT -> ExitCode.UNAVAILABLE;
    };
  }

  /** The code of a failure a command let through. */
  static ExitCode of(Throwable e) {
    if (e instanceof RegistryException r) {
      return of(r.reason());
    }
    if (e instanceof PingException p) {
      return of(p.reason());
    }
    if (e instanceof BrokerReloadException) {
      return ExitCode.UNAVAILABLE;
    }
    if (e instanceof AclCheck.InvalidAclException) {
      return ExitCode.DATA_ERROR;
    }
    if (e instanceof IllegalArgumentException) {
      return ExitCode.USAGE;
    }
    return ExitCode.of(e);
  }

  /** A bad combination of arguments that picocli cannot express. */
  static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }
}
