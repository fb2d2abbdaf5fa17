package dev.holdfast.agent.cli;

import dev.holdfast.common.cli.ExitCode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.tinylog.Logger;
import picocli.CommandLine;

/**
 * Runs one command line against a context and returns the exit code. Every failure a user can
 * fix ends as one line on standard error, {@code holdfast-agent: <what is wrong and what to do>},
 * and its sysexits code; anything else is an internal error (70) with the stack trace at debug.
 */
public final class Cli {
  private Cli() {}

  public static int run(AgentContext context, String... args) {
    CommandLine cmd = new CommandLine(new AgentCommand(context));
    cmd.setOut(new PrintWriter(context.out(), true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(context.err(), true, StandardCharsets.UTF_8));
    usageErrorsExit64(cmd);
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
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
    });
    int code = cmd.execute(args);
    context.out().flush();
    return code;
  }

  private static void usageErrorsExit64(CommandLine cmd) {
    cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE.code());
    cmd.getSubcommands().values().forEach(Cli::usageErrorsExit64);
  }
}
