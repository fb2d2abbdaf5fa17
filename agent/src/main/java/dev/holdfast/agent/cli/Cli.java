package dev.holdfast.agent.cli;

import dev.holdfast.common.cli.ExitCode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Runs one command line against a context and returns the exit code. Every failure a user can
 * fix ends as one line on standard error, {@code holdfast-agent: <what is wrong and what to do>},
 * and its sysexits code; anything else is an internal error (70) with the stack trace at debug.
 */
public final class Cli {
  /** picocli's system property: built-in converters for the types it matches are not registered. */
  static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
  /**
   * No option of the agent is a {@code java.time} or {@code java.sql} type, and registering
   * picocli's converters for them initialises those classes ({@code MonthDay} builds the JDK's
   * date-time formatters, {@code java.sql} its driver manager), with the locale data they use: of
   * the two packages alone 64 fewer classes load (82 to 18), at every start on a Pi.
   * {@code CommandLineTest} fails if an option of such a type appears.
   */
  static final String UNUSED_CONVERTERS = "java\\.time\\..*,java\\.sql\\..*";

  private Cli() {}

  public static int run(AgentContext context, String... args) {
    Optional<AgentCommand> service = RunLine.parse(context, args);
    if (service.isPresent()) {
      RunCommand run = new RunCommand();
      run.root = service.get();
      try {
        return run.call();
      } catch (Exception e) {
        return failed(context, e);
      }
    }
    if (System.getProperty(CONVERTER_EXCLUDES) == null) {
      System.setProperty(CONVERTER_EXCLUDES, UNUSED_CONVERTERS);
    }
    CommandLine cmd = commandLine(context, args);
    cmd.setOut(new PrintWriter(context.out(), true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(context.err(), true, StandardCharsets.UTF_8));
    usageErrorsExit64(cmd);
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failed(context, ex));
    int code = cmd.execute(args);
    context.out().flush();
    return code;
  }

  /** A command that failed: one line on standard error, and its exit code. */
  private static int failed(AgentContext context, Exception ex) {
    ExitCode code = ExitCodes.of(ex);
    if (code == ExitCode.SOFTWARE) {
      Logger.debug(ex, "internal error");
      context.err().println("holdfast-agent: internal error: " + ex
          + " (run with --log-level debug for details, and please report it)");
    } else {
      context.err().println("holdfast-agent: " + ex.getMessage());
    }
    context.err().flush();
    return code.code();
  }

  /**
   * The root command with the subcommand {@code args} name, or with every subcommand when they
   * name none (no arguments: the whole tree).
   */
  static CommandLine commandLine(AgentContext context, String... args) {
    CommandLine cmd = new CommandLine(new AgentCommand(context));
    Optional<Class<?>> only = named(cmd.getCommandSpec(), args);
    for (Class<?> sub : AgentCommand.SUBCOMMANDS) {
      if (only.isEmpty() || only.get() == sub) {
        cmd.addSubcommand(sub);
      }
    }
    return cmd;
  }

  /**
   * The subcommand {@code args} name: the first argument that is neither a root option nor its
   * value. Empty when there is none, it names no subcommand (a typo) or the root's help or version
   * comes first, so that picocli sees the whole tree and lists or suggests as usual.
   */
  private static Optional<Class<?>> named(CommandSpec root, String... args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        return Optional.empty();
      }
      if (arg.startsWith("-") && arg.length() > 1) {
        OptionSpec option = arg.contains("=") ? null : root.findOption(arg);
        if (option != null && (option.usageHelp() || option.versionHelp())) {
          return Optional.empty(); // the root's help lists every command
        }
        if (option != null && option.arity().max() > 0) {
          i++;
        }
        continue;
      }
      for (Class<?> sub : AgentCommand.SUBCOMMANDS) {
        Command command = sub.getAnnotation(Command.class);
        if (command.name().equals(arg) || List.of(command.aliases()).contains(arg)) {
          return Optional.of(sub);
        }
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static void usageErrorsExit64(CommandLine cmd) {
    cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE.code());
    cmd.getSubcommands().values().forEach(Cli::usageErrorsExit64);
  }
}
