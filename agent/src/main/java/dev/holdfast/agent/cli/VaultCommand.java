package dev.holdfast.agent.cli;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultStatus;
import dev.holdfast.vault.VerifyReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code holdfast-agent vault ...}: create, inspect, verify and rekey the vault. */
@Command(
    name = "vault",
    mixinStandardHelpOptions = true,
    description = "Create, inspect, verify and rekey the encrypted vault (<data-dir>/agent.db).",
    subcommands = {
      VaultCommand.Keygen.class,
      VaultCommand.Init.class,
      VaultCommand.Status.class,
      VaultCommand.Verify.class,
      VaultCommand.Rekey.class
    })
final class VaultCommand implements Runnable {
  @ParentCommand AgentCommand root;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a vault command is required (see 'holdfast-agent vault --help')");
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = {"Writes a new random 256-bit vault key to FILE (mode 0600); never overwrites.",
          "Turn it into a systemd credential with: systemd-creds encrypt --name=store-key FILE /etc/credstore.encrypted/store-key"})
  static final class Keygen implements Callable<Integer> {
    @ParentCommand VaultCommand vault;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key.")
    Path out;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = vault.root.context;
      KeyFiles.generate(out, ctx.random());
      ctx.out().println("wrote a new 256-bit vault key to " + out + " (mode 0600)");
      return 0;
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Creates the vault; refuses if one exists.")
  static final class Init implements Callable<Integer> {
    @ParentCommand VaultCommand vault;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = vault.root.context;
      AgentConfig config = vault.root.loadConfig();
      MasterKeySource key = VaultAccess.keySource(ctx, config, true);
      try (Vault v = Vault.create(config.vaultFile(), key, ctx.random())) {
        ctx.out().println("created vault " + v.file() + " (key from " + v.keyOrigin() + ")");
      }
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Format version, records per collection, file size and where the key came from (never the key).")
  static final class Status implements Callable<Integer> {
    @ParentCommand VaultCommand vault;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = vault.root.context;
      AgentConfig config = vault.root.loadConfig();
      VaultStatus status;
      try (Vault v = VaultAccess.open(ctx, config)) {
        status = v.status();
      }
      if (json) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", status.file().toString());
        out.put("format", status.formatVersion());
        out.put("bytes", status.fileBytes());
        out.put("keyFrom", status.keyOrigin());
        out.put("records", new java.util.TreeMap<>(status.recordsPerCollection()));
        ctx.out().println(Json.write(out));
      } else {
        ctx.out().println("vault:    " + status.file());
        ctx.out().println("format:   " + status.formatVersion());
        ctx.out().println("size:     " + status.fileBytes() + " bytes");
        ctx.out().println("key from: " + status.keyOrigin());
        ctx.out().println("records:  " + status.totalRecords());
        new java.util.TreeMap<>(status.recordsPerCollection())
            .forEach((name, count) -> ctx.out().println("  " + name + ": " + count));
      }
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Authenticates every record and lists the bad ones by collection and id; exit 65 if any.")
  static final class Verify implements Callable<Integer> {
    @ParentCommand VaultCommand vault;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = vault.root.context;
      AgentConfig config = vault.root.loadConfig();
      VerifyReport report;
      try (Vault v = VaultAccess.open(ctx, config)) {
        report = v.verify();
      }
      if (json) {
        List<Map<String, String>> bad = report.badRecords().stream()
            .map(b -> Map.of("collection", b.collection(), "id", b.id(), "problem", b.problem()))
            .toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checked", report.recordsChecked());
        out.put("ok", report.ok());
        out.put("bad", bad);
        ctx.out().println(Json.write(out));
      } else {
        for (VerifyReport.BadRecord b : report.badRecords()) {
          ctx.out().println("BAD " + b.collection() + " " + b.id() + ": " + b.problem());
        }
        ctx.out().println(report.ok()
            ? "checked " + report.recordsChecked() + " records: all authentic"
            : "checked " + report.recordsChecked() + " records: " + report.badRecords().size()
                + " failed authentication; restore the vault from a backup");
      }
      return report.ok() ? 0 : ExitCode.DATA_ERROR.code();
    }
  }

  @Command(name = "rekey", mixinStandardHelpOptions = true,
      description = {"Re-seals every record under the key in --new-key-file, crash-safely:",
          "if interrupted, the vault opens with the old key; once done, with the new key only."})
  static final class Rekey implements Callable<Integer> {
    @ParentCommand VaultCommand vault;

    @Option(names = "--new-key-file", required = true, paramLabel = "FILE",
        description = "The new key (mode 0600 or 0400), e.g. from 'vault keygen'.")
    Path newKeyFile;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = vault.root.context;
      AgentConfig config = vault.root.loadConfig();
      MasterKeySource newKey = MasterKeySource.ofKey(KeyFiles.read(newKeyFile), "key file " + newKeyFile);
      MasterKeySource oldKey = VaultAccess.keySource(ctx, config, false);
      Vault.rekey(config.vaultFile(), oldKey, newKey, ctx.random());
      ctx.out().println("rekeyed " + config.vaultFile() + "; it now opens only with " + newKeyFile
          + " (update --key-file, vault.key-file or the systemd credential)");
      return 0;
    }
  }
}
