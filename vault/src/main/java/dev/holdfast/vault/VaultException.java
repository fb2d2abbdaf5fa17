package dev.holdfast.vault;

/**
 * A vault operation failed for a reason the caller must handle. The message says what is wrong and
 * what to do; it never contains a key, a passphrase or a record's value.
 */
public final class VaultException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why it failed; callers map this to exit codes. */
  public enum Reason {
    /** No vault (or key file, or input) where one was expected. */
    MISSING,
    /** Asked to create something that already exists. */
    ALREADY_EXISTS,
    /** The key does not open this vault. */
    WRONG_KEY,
    /** A key file readable by others than its owner. */
    INSECURE_KEY_FILE,
    /** A data directory others can use, or a journal that is a symlink: refused before anything is read. */
    INSECURE_PATH,
    /** A key file that does not hold a 256-bit key. */
    BAD_KEY_FILE,
    /** No key source is configured or available. */
    NO_KEY,
    /** The vault file is damaged (structure or records). */
    CORRUPT,
    /** The file is not a Holdfast vault at all. */
    NOT_A_VAULT,
    /** Another process has the vault open. */
    LOCKED,
    /** The operating system refused a read or write (disk full, permissions). */
    IO
  }

  private final Reason reason;

  public VaultException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public VaultException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
