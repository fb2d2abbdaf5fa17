package dev.holdfast.agent.service;

import dev.holdfast.agent.config.HealthSettings;
import dev.holdfast.agent.link.LinkStatus;
import dev.holdfast.agent.outbox.OutboxStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The running agent's own sections of {@code status}: the link, health, attempts; and systemd's STATUS= line. */
public final class RuntimeStatus {
  private RuntimeStatus() {}

  /**
   * {@code {"link":{...}|null,"health":{"healthy":..,"problems":[..]},"attempts":{...}}}; the link
   * is null when the agent has none (not enrolled, or no {@code mqtt.broker}).
   */
  public static Map<String, Object> json(OutboxStatus outbox, Optional<LinkStatus> link, List<String> stuck,
      Attempts attempts, HealthSettings settings, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("link", link.map(RuntimeStatus::link).orElse(null));
    List<String> problems = HealthPolicy.problems(outbox, link, stuck, settings, now);
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("healthy", problems.isEmpty());
    health.put("problems", problems);
    out.put("health", health);
    out.put("attempts", attempts.json());
    return out;
  }

  private static Map<String, Object> link(LinkStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", s.state().name());
    m.put("since", s.since().toString());
    m.put("down_since", s.downSince().map(Instant::toString).orElse(null));
    m.put("failures", s.failures());
    m.put("last_error", s.lastError().orElse(null));
    m.put("last_error_at", s.lastErrorAt().map(Instant::toString).orElse(null));
    return m;
  }

  /** systemd's one-line status: {@code 12 queued, 0 dead; mqtt CONNECTED}. */
  public static String line(OutboxStatus outbox, Optional<LinkStatus> link) {
    return outbox.queued() + " queued, " + outbox.dead() + " dead; mqtt "
        + link.map(l -> l.state().name()).orElse("off");
  }
}
