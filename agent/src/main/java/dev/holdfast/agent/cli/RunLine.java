package dev.holdfast.agent.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The command line systemd starts the service with, read without picocli: {@code run} and the
 * root options that take a value ({@code --config}, {@code --data-dir}, {@code --key-file},
 * {@code --socket}, {@code --log-level}), each at most once, as {@code --name value} or
 * {@code --name=value}, before or after {@code run}. Anything else (help, version, another
 * command, an unknown or repeated option, a value that is empty, looks like an option or is
 * {@code run}) is left
 * to picocli, which answers it as it always has. picocli builds the command's model by reflection
 * and loads about 170 classes; the service, which runs for months, does not need them.
 */
final class RunLine {
  private RunLine() {}

  /** The root command with the options of {@code args} set, if they are such a line; else empty. */
  static Optional<AgentCommand> parse(AgentContext context, String... args) {
    AgentCommand root = new AgentCommand(context);
    Set<String> seen = new HashSet<>();
    boolean run = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("run") && !run) {
        run = true;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        return Optional.empty();
      }
      if (value.isEmpty() || value.startsWith("-") || value.equals("run") || !seen.add(name)
          || !set(root, name, value)) {
        return Optional.empty();
      }
    }
    return run ? Optional.of(root) : Optional.empty();
  }

  /** Sets one option; false if it is not one of these or its path is invalid. */
  private static boolean set(AgentCommand root, String name, String value) {
    try {
      switch (name) {
        case "--config" -> root.config = Path.of(value);
        case "--data-dir" -> root.dataDir = Path.of(value);
        case "--key-file" -> root.keyFile = Path.of(value);
        case "--socket" -> root.socket = Path.of(value);
        case "--log-level" -> root.logLevel = value;
        default -> {
          return false;
        }
      }
      return true;
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
