package dev.holdfast.common.config;

/** A configuration file is missing or wrong; the message names the file, line, key and fix. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Whether the file itself was missing (exit 66) or its content was wrong (exit 78). */
  public enum Kind {
    MISSING_FILE,
    INVALID
  }

  private final Kind kind;

  public ConfigException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** An invalid setting: the common case. */
  public ConfigException(String message) {
    this(Kind.INVALID, message);
  }

  public Kind kind() {
    return kind;
  }
}
