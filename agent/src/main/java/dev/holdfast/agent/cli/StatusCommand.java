package dev.holdfast.agent.cli;

import dev.holdfast.agent.service.Textfile;
import dev.holdfast.protocol.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code holdfast-agent status}: the outbox, the link and the agent's health; exits 1 when unhealthy. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Queue depth, bytes, oldest record's age, per channel the last delivery and last error, the MQTT "
        + "link's state and last error, and the agent's health.",
        "Asks the running agent; with none running, reads the vault.",
        "Exits 0 when the agent runs and is healthy, 1 when it is not running or reports a problem (the MQTT link "
            + "down longer than health.link-down-after, credentials rejected, the outbox at health.max-queued, a "
            + "part not answering), so monitoring can call it."})
final class StatusCommand implements Callable<Integer> {
  static final String NOT_RUNNING = "the agent is not running (status read from the vault)";

  @ParentCommand AgentCommand root;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(names = "--textfile", paramLabel = "FILE",
      description = "Write Prometheus metrics to FILE (for node_exporter's textfile collector, e.g. "
          + "/var/lib/prometheus/node-exporter/holdfast-agent.prom) instead of printing; the exit code is the same.")
  Path textfile;

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() throws Exception {
    AgentContext ctx = root.context;
    Map<String, Object> response;
    boolean running;
    try (OutboxAccess access = OutboxAccess.open(ctx, root.loadConfig())) {
      running = access.viaAgent();
      response = access.call(OutboxCommand.request("status"));
    }
    Map<String, Object> status = (Map<String, Object>) response.get("status");
    Object identity = response.get("identity");
    Map<String, Object> runtime = new LinkedHashMap<>(response);
    runtime.keySet().removeAll(List.of("ok", "status", "identity"));
    List<String> problems = running ? problems(runtime) : List.of(NOT_RUNNING);
    int exit = problems.isEmpty() ? ExitCode.OK.code() : ExitCode.UNHEALTHY.code();
    if (textfile != null) {
      writeTextfile(running, problems.isEmpty(), status, runtime, identity);
      return exit;
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("agent_running", running);
      out.putAll(status);
      out.put("identity", identity);
      out.putAll(runtime);
      out.put("health", Map.of("healthy", problems.isEmpty(), "problems", problems));
      ctx.out().println(Json.write(out));
      return exit;
    }
    ctx.out().println("agent:    " + (running ? "running" : "not running (read from the vault)"));
    printIdentity(ctx, identity);
    printLink(ctx, running, runtime.get("link"));
    ctx.out().println("queued:   " + status.get("queued") + " of " + status.get("max_records")
        + " records, " + status.get("bytes") + " of " + status.get("max_bytes") + " bytes (when full: "
        + status.get("when_full") + ")");
    ctx.out().println("dead:     " + status.get("dead"));
    Object age = status.get("oldest_age_seconds");
    ctx.out().println("oldest:   " + (age == null ? "-" : age + " s"));
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
    ctx.out().println("health:   " + (problems.isEmpty() ? "ok" : "UNHEALTHY"));
    problems.forEach(p -> ctx.out().println("  - " + p));
    return exit;
  }

  @SuppressWarnings("unchecked")
  private static List<String> problems(Map<String, Object> runtime) {
    Object health = runtime.get("health");
    if (!(health instanceof Map<?, ?> h) || !(h.get("problems") instanceof List<?> list)) {
      return List.of("the agent did not report its health (an older agent is running? restart it)");
    }
    return (List<String>) list;
  }

  @SuppressWarnings("unchecked")
  private void writeTextfile(boolean running, boolean healthy, Map<String, Object> status, Map<String, Object> runtime,
      Object identity) throws CliException {
    String text = Textfile.render(running, healthy, status, runtime,
        identity instanceof Map<?, ?> m ? (Map<String, Object>) m : null, root.context.clock().instant());
    try {
      Textfile.write(textfile, text);
    } catch (IOException e) {
      throw new CliException(ExitCode.CANT_CREATE, "could not write " + textfile + " (" + e.getMessage()
          + "); check that its directory exists and this user may write there");
    }
  }

  private static void printLink(AgentContext ctx, boolean running, Object link) {
    if (!running) {
      return;
    }
    if (!(link instanceof Map<?, ?> l)) {
      ctx.out().println("mqtt:     off (not enrolled, or mqtt.broker is not set)");
      return;
    }
    StringBuilder line = new StringBuilder("mqtt:     " + l.get("state") + " since " + l.get("since"));
    if (l.get("down_since") != null && !"CONNECTED".equals(l.get("state"))) {
      line.append(" (down since ").append(l.get("down_since")).append(", ").append(l.get("failures"))
          .append(" failed attempts in a row)");
    }
    ctx.out().println(line);
    if (l.get("last_error") != null) {
      ctx.out().println("  last error:    " + l.get("last_error") + " (" + l.get("last_error_at") + ")");
    }
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
