package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.common.config.ConfigException;
import dev.holdfast.agent.config.ConfigLoader;
import dev.holdfast.agent.config.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code holdfast-agent}: the root command and the options every subcommand shares. */
@Command(
    name = "holdfast-agent",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    exitCodeOnInvalidInput = 64,
    exitCodeOnUsageHelp = 0,
    exitCodeOnVersionHelp = 0,
    description = {
      "Holds this device's identity and secrets in an encrypted vault.",
      "",
      "Exit codes: 0 ok, 1 unhealthy (status), 64 usage, 65 corrupt data, 66 missing input,",
      "69 unavailable, 70 internal error, 73 cannot create, 74 I/O error, 75 temporary (locked; try again),",
      "77 wrong key or insecure key file (or no access to the GPIO device), 78 configuration error",
      "(a GPIO pin that cannot be used included); enroll: 79-88 (docs/exit-codes.md)."
    })
public final class AgentCommand implements Runnable {
  /**
   * The subcommands, in the order help lists them. {@link Cli#commandLine} adds only the one a
   * command line names (all of them when it names none): picocli builds a command's whole model by
   * reflection when it is added, and the full tree cost the running agent 2.5 MiB of its RSS.
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, SendCommand.class, OutboxCommand.class,
      StatusCommand.class, EnrollCommand.class, GpioCommand.class, VaultCommand.class, SecretCommand.class,
      RotateCommand.class, CompletionCommand.class);

  final AgentContext context;

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Configuration file (default: /etc/holdfast/agent.conf, if it exists).")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Directory of the vault (default: data-dir from the configuration, else /var/lib/holdfast).")
  Path dataDir;

  @Option(names = "--key-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Vault key file, mode 0600 or 0400 (used when no systemd credential is present).")
  Path keyFile;

  @Option(names = "--socket", paramLabel = "PATH", scope = ScopeType.INHERIT,
      description = {"The local API's unix socket (default: local.socket from the configuration, else /run/holdfast/agent.sock).",
          "'run' replaces a socket a crashed agent left there, never anything else (exit 73)."})
  Path socket;

  @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT,
      description = "One of trace, debug, info, warn, error (default: log.level from the configuration, else info).")
  String logLevel;

  public AgentCommand(AgentContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required (see --help)");
  }

  /** The configuration file with the command line's overrides applied. */
  AgentConfig loadConfig() throws ConfigException {
    Map<Setting, String> overrides = new EnumMap<>(Setting.class);
    if (dataDir != null) {
      overrides.put(Setting.DATA_DIR, dataDir.toAbsolutePath().toString());
    }
    if (keyFile != null) {
      overrides.put(Setting.VAULT_KEY_FILE, keyFile.toAbsolutePath().toString());
    }
    if (socket != null) {
      overrides.put(Setting.LOCAL_SOCKET, socket.toAbsolutePath().toString());
    }
    if (logLevel != null) {
      overrides.put(Setting.LOG_LEVEL, logLevel);
    }
    AgentConfig loaded = ConfigLoader.load(Optional.ofNullable(config), overrides);
    loaded.outbox().checkFitsHeap(Runtime.getRuntime().maxMemory());
    Logging.configure(loaded.logLevel());
    return loaded;
  }
}
