package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.ExitCode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point of {@code holdfast-provisioning}. */
@Command(name = "holdfast-provisioning", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    exitCodeOnInvalidInput = 64, exitCodeOnExecutionException = 70,
    description = "Fleet side of Holdfast: CA, API keys, registry, enrollment tokens and the SMS relay.",
    subcommands = {InitCommand.class, RevokeCommand.class, CertsCommand.class, CrlCommand.class, KeysCommand.class, DevicesCommand.class,
        AuditCommand.class, TokensCommand.class, EnrollCommand.class, ServeCommand.class, RelayCommand.class, BrokerCommand.class,
        OperatorsCommand.class, RotateCommand.class, FleetCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {
  final Map<String, String> env;
  final PrintWriter out;
  final PrintWriter err;
  final java.io.InputStream in;
  /** The service's open runtime when the command came through the admin API; empty on the command line. */
  final Optional<ProvisioningRuntime> runtime;
  /** The arguments as given, for a command sent on to the admin API. */
  List<String> args = List.of();

  Main(Map<String, String> env, PrintWriter out, PrintWriter err, java.io.InputStream in) {
    this(env, out, err, in, Optional.empty());
  }

  Main(Map<String, String> env, PrintWriter out, PrintWriter err, java.io.InputStream in,
      Optional<ProvisioningRuntime> runtime) {
    this.env = Map.copyOf(env);
    this.out = out;
    this.err = err;
    this.in = in;
    this.runtime = runtime;
  }

  public static void main(String[] args) {
    dev.holdfast.provisioning.api.ApiServer.lowLatency();
    org.tinylog.configuration.Configuration.set("writer", "console");
    org.tinylog.configuration.Configuration.set("writer.stream", "err");
    org.tinylog.configuration.Configuration.set("writer.format", "{level}: {message}");
    org.tinylog.configuration.Configuration.set("writer.level", "info");
    // The API server's own chatter (start banners, per-connection details) stays out of the log.
    org.tinylog.configuration.Configuration.set("level@org.eclipse.jetty", "warn");
    // A dropped slow client fails its handler's write: one line of ours, not Jetty's stack trace.
    org.tinylog.configuration.Configuration.set("level@org.eclipse.jetty.server.Response", "error");
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, System.getenv(), out, err, System.in));
  }

  /** Runs one command; returns its exit code. Tests call this in-process. */
  static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, java.io.InputStream in) {
    Main main = new Main(env, out, err, in);
    main.args = List.of(args);
    return execute(commandLine(main), args);
  }

  /** Runs one command on {@code main} (its runtime, its streams); returns its exit code. */
  static int execute(CommandLine cli, String[] args) {
    int code = cli.execute(args);
    cli.getOut().flush();
    cli.getErr().flush();
    return code;
  }

  /** The command tree over {@code main}, with this program's exit codes for bad input and failures. */
  static CommandLine commandLine(Main main) {
    PrintWriter out = main.out;
    PrintWriter err = main.err;
    CommandLine cli = new CommandLine(main);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((e, args2) -> {
      CommandLine c = e.getCommandLine();
      c.getErr().println("holdfast-provisioning: " + e.getMessage());
      c.usage(c.getErr());
      c.getErr().flush();
      return ExitCode.USAGE.code();
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      ExitCode code = ExitCodes.of(e);
      if (code == ExitCode.SOFTWARE) {
        err.println("holdfast-provisioning: internal error: " + e);
        e.printStackTrace(err);
      } else {
        err.println("holdfast-provisioning: " + e.getMessage());
      }
      err.flush();
      return code.code();
    });
    return cli;
  }
}
