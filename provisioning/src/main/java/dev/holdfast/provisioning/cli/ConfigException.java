package dev.holdfast.provisioning.cli;

/** The config file is missing a setting or has a bad value; the message names the setting. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
