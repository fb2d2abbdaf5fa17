package dev.holdfast.agent.service;

import dev.holdfast.vault.SecureFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code status} answer as Prometheus text for node_exporter's textfile collector: queue depth,
 * oldest record's age, deliveries, failed attempts, days to the certificate's and the API key's
 * expiry. Nothing in it is secret; it is written 0644 (the collector runs as another user), to a
 * temporary name the collector ignores, then renamed.
 */
public final class Textfile {
  private final StringBuilder out = new StringBuilder();

  private Textfile() {}

  /**
   * @param status the {@code status} answer's {@code status} section (the outbox)
   * @param runtime the running agent's sections ({@code link}, {@code attempts}), empty when it is not running
   * @param identity the {@code identity} section, or null
   */
  @SuppressWarnings("unchecked")
  public static String render(boolean running, boolean healthy, Map<String, Object> status,
      Map<String, Object> runtime, Map<String, Object> identity, Instant now) {
    Textfile t = new Textfile();
    t.gauge("holdfast_agent_running", "1 when the agent is running (status asked it over its socket)", running ? 1 : 0);
    t.gauge("holdfast_agent_healthy", "1 when 'holdfast-agent status' finds no problem", healthy ? 1 : 0);
    t.gauge("holdfast_outbox_queued", "records waiting for delivery", number(status.get("queued")));
    t.gauge("holdfast_outbox_dead", "dead letters", number(status.get("dead")));
    t.gauge("holdfast_outbox_bytes", "bytes the outbox holds", number(status.get("bytes")));
    t.gauge("holdfast_outbox_max_records", "outbox.max-records", number(status.get("max_records")));
    Object age = status.get("oldest_age_seconds");
    t.gauge("holdfast_outbox_oldest_age_seconds", "age of the oldest queued record (0 when none)",
        age == null ? 0 : number(age));
    Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) status.get("channels");
    t.header("holdfast_deliveries_total", "counter", "records delivered, per channel (kept across restarts)");
    channels.forEach((name, c) -> t.sample("holdfast_deliveries_total{channel=\"" + name + "\"}",
        number(c.get("delivered"))));
    Object attempts = runtime.get("attempts");
    if (attempts instanceof Map<?, ?> byChannel) {
      t.header("holdfast_delivery_failures_total", "counter",
          "failed delivery attempts since the agent started, per channel and outcome");
      ((Map<String, Map<String, Object>>) byChannel).forEach((name, kinds) -> kinds.forEach((kind, n) -> {
        if (!kind.equals("delivered")) {
          t.sample("holdfast_delivery_failures_total{channel=\"" + name + "\",outcome=\"" + kind + "\"}", number(n));
        }
      }));
    }
    if (runtime.get("link") instanceof Map<?, ?> link) {
      t.gauge("holdfast_mqtt_link_up", "1 while the MQTT link is connected", "CONNECTED".equals(link.get("state")) ? 1 : 0);
    }
    if (identity != null && Boolean.TRUE.equals(identity.get("enrolled"))) {
      t.gauge("holdfast_certificate_expiry_days", "days until the device certificate expires",
          days(identity.get("certificate_not_after"), now));
      t.gauge("holdfast_api_key_expiry_days", "days until the device's API key expires",
          days(identity.get("api_key_expires_at"), now));
    }
    return t.out.toString();
  }

  /** Writes {@code text} to {@code file} (mode 0644) through a temporary file, fsync and rename. */
  public static void write(Path file, String text) throws IOException {
    SecureFiles.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8), true,
        PosixFilePermissions.fromString("rw-r--r--"));
  }

  private static double days(Object iso, Instant now) {
    Duration left = Duration.between(now, Instant.parse(iso.toString()));
    return Math.round(left.toSeconds() / 864.0) / 100.0;
  }

  private static double number(Object o) {
    return o instanceof BigDecimal b ? b.doubleValue() : ((Number) o).doubleValue();
  }

  private void gauge(String name, String help, double value) {
    header(name, "gauge", help);
    sample(name, value);
  }

  private void header(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, double value) {
    out.append(name).append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(String.format(Locale.ROOT, "%.2f", value));
    }
    out.append('\n');
  }
}
