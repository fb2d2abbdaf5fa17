package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.apikeys.ApiKeyException;
import dev.holdfast.provisioning.ca.CaException;
import dev.holdfast.provisioning.ca.CsrRejectedException;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.tokens.RedeemException;
import dev.holdfast.provisioning.tokens.TokenException;
import dev.holdfast.vault.VaultException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** sysexits(3) codes, the same as the agent's, and which failure gets which. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int USAGE = 64;
  public static final int DATA = 65;
  public static final int NO_INPUT = 66;
  public static final int UNAVAILABLE = 69;
  public static final int SOFTWARE = 70;
  public static final int CANT_CREATE = 73;
  public static final int IO = 74;
  public static final int TEMPORARY = 75;
  public static final int NO_PERMISSION = 77;
  public static final int CONFIG = 78;

  private ExitCodes() {}

  public static int of(VaultException.Reason reason) {
    return switch (reason) {
      case MISSING -> NO_INPUT;
      case ALREADY_EXISTS -> CANT_CREATE;
      case WRONG_KEY, INSECURE_KEY_FILE, INSECURE_PATH -> NO_PERMISSION;
      case BAD_KEY_FILE, NO_KEY -> CONFIG;
      case CORRUPT, NOT_A_VAULT -> DATA;
      case LOCKED -> TEMPORARY;
      case IO -> IO;
    };
  }

  /** The exit code for a failure a command let through. */
  public static int of(Throwable e) {
    if (e instanceof VaultException v) {
      return of(v.reason());
    }
    if (e instanceof EnrollCommand.EnrollFailed f) {
      return f.exitCode();
    }
    if (e instanceof dev.holdfast.provisioning.service.PingException p) {
      return switch (p.reason()) {
        case BROKER_UNREACHABLE -> IO;
        case REFUSED -> NO_PERMISSION;
        case TIMEOUT -> UNAVAILABLE;
      };
    }
    if (e instanceof RegistryException r) {
      return switch (r.reason()) {
        case CORRUPT -> DATA;
        case IO -> IO;
        case LOCKED -> TEMPORARY;
      };
    }
    if (e instanceof CaException c) {
      return switch (c.reason()) {
        case NOT_INITIALIZED, UNKNOWN_CERTIFICATE, UNKNOWN_DEVICE -> NO_INPUT;
        case ALREADY_INITIALIZED -> CANT_CREATE;
        case POLICY -> DATA;
      };
    }
    if (e instanceof ApiKeyException a) {
      return a.reason() == ApiKeyException.Reason.POLICY ? DATA : NO_INPUT;
    }
    if (e instanceof TokenException t) {
      return switch (t.reason()) {
        case UNKNOWN_TOKEN -> NO_INPUT;
        case UNKNOWN_PROFILE -> CONFIG;
        case POLICY -> DATA;
      };
    }
    if (e instanceof CsrRejectedException || e instanceof RedeemException
        || e instanceof dev.holdfast.provisioning.broker.AclCheck.InvalidAclException) {
      return DATA;
    }
    if (e instanceof ConfigException) {
      return CONFIG;
    }
    if (e instanceof UsageException || e instanceof IllegalArgumentException) {
      return USAGE;
    }
    if (e instanceof NoSuchFileException) {
      return NO_INPUT;
    }
    if (e instanceof FileAlreadyExistsException) {
      return CANT_CREATE;
    }
    if (e instanceof IOException) {
      return IO;
    }
    return SOFTWARE;
  }

  /** A bad combination of arguments that picocli cannot express. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }
}
