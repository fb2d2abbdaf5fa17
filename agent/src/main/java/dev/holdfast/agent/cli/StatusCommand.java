package dev.holdfast.agent.cli;

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
    Map<String, Object> status;
    Object identity;
    boolean running;
    try (OutboxAccess access = OutboxAccess.open(ctx, root.loadConfig())) {
      running = access.viaAgent();
      Map<String, Object> response = access.call(OutboxCommand.request("status"));
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) response.get("status");
      status = s;
      identity = response.get("identity");
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("agent_running", running);
      out.putAll(status);
      out.put("identity", identity);
      ctx.out().println(Json.write(out));
      return 0;
    }
    ctx.out().println("agent:    " + (running ? "running" : "not running (read from the vault)"));
    printIdentity(ctx, identity);
    ctx.out().println("queued:   " + status.get("queued") + " of " + status.get("max_records")
        + " records, " + status.get("bytes") + " of " + status.get("max_bytes") + " bytes (when full: "
        + status.get("when_full") + ")");
    ctx.out().println("dead:     " + status.get("dead"));
    Object age = status.get("oldest_age_seconds");
    ctx.out().println("oldest:   " + (age == null ? "-" : age + " s"));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) status.get("channels");
    channels.forEach((name, c) -> {
      ctx.out().println(name + ":");
      ctx.out().println("  delivered:     " + c.get("delivered") + (c.get("last_delivery") == null ? ""
          : " (last " + c.get("last_delivery") + ")"));
      if (c.get("last_error") != null) {
        ctx.out().println("  last error:    " + c.get("last_error") + " (" + c.get("last_error_at") + ")");
      }
      if (c.get("credentials_rejected_until") != null) {
        ctx.out().println("  CREDENTIALS REJECTED: held until " + c.get("credentials_rejected_until"));
      }
      if (!Long.valueOf(0).equals(toLong(c.get("dropped_when_full")))) {
        ctx.out().println("  dropped (full): " + c.get("dropped_when_full"));
      }
    });
    return 0;
  }

  private static void printIdentity(AgentContext ctx, Object identity) {
    if (!(identity instanceof Map<?, ?> id)) {
      return;
    }
    if (Boolean.TRUE.equals(id.get("enrolled"))) {
      ctx.out().println("device:   " + id.get("device_id") + " (certificate until " + id.get("certificate_not_after")
          + ")");
      ctx.out().println("api key:  " + id.get("api_key_id") + " (until " + id.get("api_key_expires_at") + ")");
    } else {
      ctx.out().println("device:   not enrolled" + (id.get("pending_key_since") == null ? ""
          : " (a request is out since " + id.get("pending_key_since") + ")") + "; see 'holdfast-agent enroll --help'");
    }
  }

  private static Long toLong(Object o) {
    return o == null ? null : dev.holdfast.agent.local.LocalApiHandler.number(o);
  }
}
