package dev.holdfast.agent.cli;

import dev.holdfast.agent.local.LocalJson;
import dev.holdfast.agent.local.LocalRequest;
import dev.holdfast.agent.local.LocalResponse;
import dev.holdfast.agent.local.OutboxPort;
import dev.holdfast.agent.local.Views.RecordDetail;
import dev.holdfast.agent.local.Views.RecordSummary;
import dev.holdfast.agent.outbox.OutboxRepair;
import dev.holdfast.agent.outbox.RecordId;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code holdfast-agent outbox ...}: look at and manage queued and dead-lettered records. */
@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description = "Lists, shows, retries and drops queued and dead-lettered records.",
    subcommands = {OutboxCommand.ListRecords.class, OutboxCommand.Show.class, OutboxCommand.Retry.class,
        OutboxCommand.Drop.class, OutboxCommand.Repair.class})
final class OutboxCommand implements Runnable {
  @ParentCommand AgentCommand root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "an outbox command is required (see 'holdfast-agent outbox --help')");
  }

  <T> T call(OutboxAccess.Call<T> call) throws Exception {
    try (OutboxAccess access = OutboxAccess.open(root.context, root.loadConfig())) {
      return access.call(call);
    }
  }

  /** A record id from the command line; a malformed one is a usage error (64). */
  static RecordId id(String text) throws CliException {
    try {
      return RecordId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Queued records, oldest first (id, channel, size, attempts, next attempt, last error); no destinations or bodies.")
  static final class ListRecords implements Callable<Integer> {
    @ParentCommand OutboxCommand outbox;

    @Option(names = "--dead", description = "List dead letters instead.")
    boolean dead;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
        description = "At most N records (1 to 1000; default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--after", paramLabel = "ID", description = "Only records after this id (the next page).")
    String after;

    @Override
    public Integer call() throws Exception {
      if (limit < 1 || limit > LocalRequest.ListRecords.MAX_LIMIT) {
        throw new CliException(ExitCode.USAGE, "--limit must be from 1 to " + LocalRequest.ListRecords.MAX_LIMIT);
      }
      LocalRequest.ListRecords page = new LocalRequest.ListRecords(dead,
          after == null ? Optional.empty() : Optional.of(OutboxCommand.id(after)), limit);
      LocalResponse.Listed answer = outbox.call(port -> port.list(page));
      List<RecordSummary> records = answer.records();
      var out = outbox.root.context.out();
      if (answer.more()) {
        outbox.root.context.err().println("holdfast-agent: more records follow; list them with --after "
            + records.get(records.size() - 1).id());
      }
      if (json) {
        out.println(Json.write(records.stream().map(LocalJson::toJson).toList()));
        return 0;
      }
      out.printf("%-16s  %-7s  %7s  %8s  %-24s  %s%n", "ID", "CHANNEL", "BYTES", "ATTEMPTS",
          dead ? "DEAD SINCE CREATED" : "NEXT ATTEMPT", "LAST ERROR");
      for (RecordSummary r : records) {
        out.printf("%-16s  %-7s  %7s  %8s  %-24s  %s%n", r.id(), r.channel().wireName(), r.bytes(),
            r.attempts(), dead ? r.created() : r.nextAttempt(), r.lastError().orElse(""));
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One record in full, destination and body included.")
  static final class Show implements Callable<Integer> {
    @ParentCommand OutboxCommand outbox;

    @Parameters(paramLabel = "ID", description = "A record id from 'outbox list'.")
    String id;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      RecordId recordId = OutboxCommand.id(id);
      RecordDetail detail = outbox.call(port -> port.show(recordId));
      Map<String, Object> record = LocalJson.toJson(detail);
      var out = outbox.root.context.out();
      if (json) {
        out.println(Json.write(record));
      } else {
        record.forEach((k, v) -> out.printf("%-16s %s%n", k + ":", v == null ? "" : v));
      }
      return 0;
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Attempts a queued record now, or puts a dead letter (or with --dead, all of them) back in the queue.")
  static final class Retry implements Callable<Integer> {
    @ParentCommand OutboxCommand outbox;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** ID or --dead. */
    static final class Target {
      @Parameters(paramLabel = "ID", description = "A record id.")
      String id;

      @Option(names = "--dead", description = "Every dead letter.")
      boolean dead;
    }

    @Override
    public Integer call() throws Exception {
      int n;
      if (target.dead) {
        n = outbox.call(OutboxPort::retryAllDead);
      } else {
        RecordId recordId = OutboxCommand.id(target.id);
        n = outbox.call(port -> {
          port.retry(recordId);
          return 1;
        });
      }
      outbox.root.context.out().println("queued again: " + n);
      return 0;
    }
  }

  @Command(name = "drop", mixinStandardHelpOptions = true,
      description = "Deletes a record for good (asks first unless --yes).")
  static final class Drop implements Callable<Integer> {
    @ParentCommand OutboxCommand outbox;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "A record id.")
    String id;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = outbox.root.context;
      if (!yes) {
        ctx.err().print("Drop outbox record " + id + " for good? [y/N] ");
        ctx.err().flush();
        String answer = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
        if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
          throw new CliException(ExitCode.USAGE, "not dropped (answer 'y', or pass --yes)");
        }
      }
      RecordId recordId = OutboxCommand.id(id);
      outbox.call(port -> {
        port.drop(recordId);
        return null;
      });
      ctx.out().println("dropped " + id);
      return 0;
    }
  }

  @Command(name = "repair", mixinStandardHelpOptions = true,
      description = {"After an error that says the outbox is damaged: keeps every intact record and dead letter,"
          + " starts the outbox's log again with them, and moves the damaged files aside (outbox.damaged-N).",
          "Stop the agent first. The records in the damaged parts are given up: say so with --accept-loss."})
  static final class Repair implements Callable<Integer> {
    @ParentCommand OutboxCommand outbox;

    @Option(names = "--accept-loss", required = true,
        description = "Confirms that the records in the damaged parts of the outbox are given up.")
    boolean acceptLoss;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = outbox.root.context;
      var config = outbox.root.loadConfig();
      Vault vault;
      try {
        vault = VaultAccess.open(ctx, config);
      } catch (VaultException e) {
        if (e.reason() == VaultException.Reason.LOCKED) {
          throw new CliException(ExitCode.TEMP_FAIL, "the agent is running: stop it first (systemctl stop"
              + " holdfast-agent), then run 'outbox repair --accept-loss' again");
        }
        throw e;
      }
      try (vault) {
        OutboxRepair.Report report = OutboxRepair.run(vault, config.outbox());
        if (report.findings().isEmpty()) {
          ctx.out().println("the outbox is intact: nothing to repair (" + report.queued() + " queued, "
              + report.dead() + " dead letters)");
          return 0;
        }
        report.findings().forEach(f -> ctx.out().println("lost: " + f));
        ctx.out().println("kept " + report.queued() + " queued record(s) and " + report.dead()
            + " dead letter(s); the damaged files are in " + report.damagedCopy().orElseThrow());
        return 0;
      }
    }
  }
}
