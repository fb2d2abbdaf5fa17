package dev.holdfast.agent.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.secrets.Secrets;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.Vault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code holdfast-agent secret ...}: third-party credentials, sealed in the vault. */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    description = "Third-party credentials (an SMS provider's token, a webhook signing secret), sealed in the vault.",
    subcommands = {SecretCommand.Set.class, SecretCommand.Get.class, SecretCommand.ListNames.class,
        SecretCommand.Remove.class})
final class SecretCommand implements Runnable {
  /** Larger values are not credentials; refusing them keeps a mistaken pipe out of the vault. */
  static final int MAX_BYTES = 64 * 1024;

  @ParentCommand AgentCommand root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a secret command is required (see 'holdfast-agent secret --help')");
  }

  /** Runs {@code work} against the secrets of the configured vault. */
  <T> T withSecrets(SecretWork<T> work) throws Exception {
    AgentConfig config = root.loadConfig();
    try (Vault vault = VaultAccess.open(root.context, config)) {
      return work.run(new Secrets(vault));
    }
  }

  @FunctionalInterface
  interface SecretWork<T> {
    T run(Secrets secrets) throws Exception;
  }

  static String checkedName(String name, CommandSpec spec) {
    try {
      Secrets.checkName(name);
      return name;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Stores NAME with the value read from standard input (never from the command line,",
          "where other users could see it in the process list). One trailing newline is dropped.",
          "Example: printf '%%s' \"$TOKEN\" | holdfast-agent secret set twilio-auth-token"})
  static final class Set implements Callable<Integer> {
    @ParentCommand SecretCommand secret;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Letters, digits, '.', '_', '-'; up to 128.")
    String name;

    @Override
    public Integer call() throws Exception {
      String checked = checkedName(name, spec);
      byte[] value = readValue(secret.root.context);
      try {
        secret.withSecrets(s -> {
          s.put(checked, Secret.wrap(value));
          return null;
        });
      } finally {
        Arrays.fill(value, (byte) 0);
      }
      secret.root.context.out().println("stored secret '" + checked + "' (" + value.length + " bytes)");
      return 0;
    }

    private static byte[] readValue(AgentContext ctx) throws IOException, CliException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[4096];
      for (int n; (n = ctx.in().read(chunk)) >= 0; ) {
        buf.write(chunk, 0, n);
        if (buf.size() > MAX_BYTES) {
          throw new CliException(ExitCode.DATA_ERROR,
              "the value on standard input is over " + MAX_BYTES + " bytes; a secret is a credential, not a file");
        }
      }
      Arrays.fill(chunk, (byte) 0);
      byte[] all = buf.toByteArray();
      int end = all.length;
      if (end > 0 && all[end - 1] == '\n') {
        end--;
        if (end > 0 && all[end - 1] == '\r') {
          end--;
        }
      }
      byte[] value = Arrays.copyOf(all, end);
      Arrays.fill(all, (byte) 0);
      if (value.length == 0) {
        throw new CliException(ExitCode.DATA_ERROR,
            "no value on standard input; pipe it in, e.g. printf '%s' \"$VALUE\" | holdfast-agent secret set NAME");
      }
      return value;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Prints the value of NAME to standard output exactly as stored (no trailing newline).")
  static final class Get implements Callable<Integer> {
    @ParentCommand SecretCommand secret;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      String checked = checkedName(name, spec);
      Secret value = secret.withSecrets(s -> s.get(checked))
          .orElseThrow(() -> new CliException(ExitCode.NO_INPUT,
              "no secret named '" + checked + "' (see 'holdfast-agent secret list')"));
      byte[] bytes = value.bytes();
      secret.root.context.out().write(bytes, 0, bytes.length);
      secret.root.context.out().flush();
      Arrays.fill(bytes, (byte) 0);
      value.destroy();
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the names of the stored secrets (never values).")
  static final class ListNames implements Callable<Integer> {
    @ParentCommand SecretCommand secret;

    @Option(names = "--json", description = "Print a JSON array instead of one name per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      java.util.List<String> names = secret.withSecrets(Secrets::names);
      if (json) {
        secret.root.context.out().println(Json.write(names));
      } else {
        names.forEach(secret.root.context.out()::println);
      }
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Removes the secret NAME.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand SecretCommand secret;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      String checked = checkedName(name, spec);
      if (!secret.withSecrets(s -> s.remove(checked))) {
        throw new CliException(ExitCode.NO_INPUT, "no secret named '" + checked + "' (see 'holdfast-agent secret list')");
      }
      secret.root.context.out().println("removed secret '" + checked + "'");
      return 0;
    }
  }
}
