package dev.holdfast.agent.cli;

import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.local.LocalJson;
import dev.holdfast.agent.local.OutboxPort;
import dev.holdfast.agent.local.Views.StatusReport;
import dev.holdfast.protocol.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code holdfast-agent status}: the outbox at a glance, from the running agent or the vault. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Queue depth, bytes, oldest record's age, and per channel the last delivery and last error.",
        "Asks the running agent; with none running, reads the vault."})
final class StatusCommand implements Callable<Integer> {
  @ParentCommand AgentCommand root;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    AgentContext ctx = root.context;
    OutboxPort.Status answer;
    boolean running;
    try (OutboxAccess access = OutboxAccess.open(ctx, root.loadConfig())) {
      running = access.viaAgent();
      answer = access.call(OutboxPort::status);
    }
    StatusReport status = answer.outbox();
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("agent_running", running);
      out.putAll(LocalJson.toJson(status));
      out.put("identity", LocalJson.toJson(answer.identity()));
      ctx.out().println(Json.write(out));
      return 0;
    }
    ctx.out().println("agent:    " + (running ? "running" : "not running (read from the vault)"));
    printIdentity(ctx, answer.identity());
    ctx.out().println("queued:   " + status.queued() + " of " + status.maxRecords() + " records, " + status.bytes()
        + " of " + status.maxBytes() + " bytes (when full: " + status.whenFull() + ")");
    ctx.out().println("dead:     " + status.dead());
    ctx.out().println("oldest:   " + status.oldestAge().map(a -> a.toSeconds() + " s").orElse("-"));
    status.channels().forEach((channel, c) -> {
      ctx.out().println(channel.wireName() + ":");
      ctx.out().println("  delivered:     " + c.delivered() + c.lastDelivery().map(t -> " (last " + t + ")").orElse(""));
      c.lastError().ifPresent(e -> ctx.out().println("  last error:    " + e + " ("
          + c.lastErrorAt().map(Object::toString).orElse("-") + ")"));
      c.credentialsRejectedUntil().ifPresent(t -> ctx.out().println("  CREDENTIALS REJECTED: held until " + t));
      if (c.droppedWhenFull() != 0) {
        ctx.out().println("  dropped (full): " + c.droppedWhenFull());
      }
    });
    return 0;
  }

  private static void printIdentity(AgentContext ctx, IdentityStatus id) {
    if (id.enrolled()) {
      ctx.out().println("device:   " + id.deviceId().orElse("-") + " (certificate until "
          + id.certificateNotAfter().map(Object::toString).orElse("-") + ")");
      ctx.out().println("api key:  " + id.apiKeyId().orElse("-") + " (until "
          + id.apiKeyExpiresAt().map(Object::toString).orElse("-") + ")");
    } else {
      ctx.out().println("device:   not enrolled" + id.pendingKeySince().map(t -> " (a request is out since " + t + ")")
          .orElse("") + "; see 'holdfast-agent enroll --help'");
    }
  }
}
