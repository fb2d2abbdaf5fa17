package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.time.Durations;
import java.time.Duration;

/** Option values picocli hands over as text, read with the messages the configuration file uses. */
final class Options {
  private Options() {}

  /** {@code text} as a duration; exit 64 naming the option when it is not one. */
  static Duration duration(String option, String text) throws CliException {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw ExitCodes.usage(option + " = '" + text + "' is not allowed; it must be " + e.getMessage());
    }
  }
}
