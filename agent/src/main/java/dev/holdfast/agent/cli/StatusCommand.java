package dev.holdfast.agent.cli;

import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.local.LocalJson;
import dev.holdfast.agent.local.OutboxPort;
import dev.holdfast.agent.local.Views.StatusReport;
import dev.holdfast.agent.rotation.RotationStore;
import dev.holdfast.agent.rotation.RotationView;
import dev.holdfast.agent.service.Textfile;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code holdfast-agent status}: the outbox, the link and the agent's health; exits 1 when unhealthy. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Queue depth, bytes, oldest record's age, per channel the last delivery and last error, the MQTT "
        + "link's state and last error, the certificate (serial, expiry, days left), the API key, the rotation "
        + "(step, last result, next automatic one) and the agent's health.",
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
  public Integer call() throws Exception {
    AgentContext ctx = root.context;
    OutboxPort.Status answer;
    boolean running;
    Map<String, Object> runtime;
    try (OutboxAccess access = OutboxAccess.open(ctx, root.loadConfig())) {
      running = access.viaAgent();
      answer = access.call(OutboxPort::status);
      runtime = new LinkedHashMap<>(answer.runtime());
      if (access.localVault().isPresent()) {
        // no agent: the rotation as the vault has it (no timer runs, so nothing is due)
        runtime.put("rotation", RotationView.of(new RotationStore(access.localVault().get()), Optional.empty(),
            ctx.clock().instant()));
      }
    }
    StatusReport status = answer.outbox();
    List<String> problems = running ? problems(runtime) : List.of(NOT_RUNNING);
    int exit = problems.isEmpty() ? ExitCode.OK.code() : ExitCode.UNHEALTHY.code();
    if (textfile != null) {
      writeTextfile(running, problems.isEmpty(), answer);
      return exit;
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("agent_running", running);
      out.putAll(LocalJson.toJson(status));
      out.put("identity", LocalJson.toJson(answer.identity()));
      out.putAll(runtime);
      out.put("health", Map.of("healthy", problems.isEmpty(), "problems", problems));
      ctx.out().println(Json.write(out));
      return exit;
    }
    ctx.out().println("agent:    " + (running ? "running" : "not running (read from the vault)"));
    printIdentity(ctx, answer.identity());
    printLink(ctx, running, runtime.get("link"));
    printRotation(ctx, runtime.get("rotation"));
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

  private void writeTextfile(boolean running, boolean healthy, OutboxPort.Status answer) throws CliException {
    String text = Textfile.render(running, healthy, LocalJson.toJson(answer.outbox()), answer.runtime(),
        LocalJson.toJson(answer.identity()), root.context.clock().instant());
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

  private static void printRotation(AgentContext ctx, Object rotation) {
    if (!(rotation instanceof Map<?, ?> r) || r.get("certificate_serial") == null) {
      return;
    }
    ctx.out().println("certificate: serial " + r.get("certificate_serial") + ", until " + r.get("certificate_not_after")
        + (Boolean.TRUE.equals(r.get("certificate_expired")) ? " (EXPIRED: the broker refuses it)"
            : " (" + r.get("days_left") + " days left)"));
    if (r.get("action_needed") != null) {
      ctx.out().println("ACTION NEEDED: " + r.get("action_needed"));
    }
    ctx.out().println("rotation: " + r.get("state") + (r.get("request") == null ? "" : " (" + r.get("request") + ")")
        + "; next automatic " + (r.get("next_automatic") == null ? "-" : r.get("next_automatic"))
        + (r.get("held_until") == null ? "" : "; held after a failure until " + r.get("held_until")));
    if (r.get("last_result") != null) {
      ctx.out().println("  last result:   " + r.get("last_result") + " (" + r.get("last_result_at") + ")");
    }
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
