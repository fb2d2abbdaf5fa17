package dev.holdfast.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextfileTest {
  @TempDir Path dir;

  static Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("queued", 12);
    s.put("dead", 1);
    s.put("bytes", 3400);
    s.put("max_records", 10000);
    s.put("oldest_age_seconds", 95);
    s.put("channels", Map.of("sms", Map.of("delivered", 30)));
    return s;
  }

  @Test
  void rendersQueueDepthAgeDeliveriesFailuresAndDaysToExpiryInPrometheusTextFormat() {
    Map<String, Object> runtime = Map.of("attempts", Map.of("sms", Map.of("delivered", 30, "retry", 4,
        "permanent", 1, "credentials_rejected", 0)), "link", Map.of("state", "WAITING"));
    Map<String, Object> identity = Map.of("enrolled", true, "certificate_not_after", "2026-01-31T00:00:00Z",
        "api_key_expires_at", "2026-01-02T12:00:00Z");
    String text = Textfile.render(true, false, status(), runtime, identity, Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(text).contains("holdfast_agent_running 1\n", "holdfast_agent_healthy 0\n",
        "holdfast_outbox_queued 12\n", "holdfast_outbox_dead 1\n", "holdfast_outbox_oldest_age_seconds 95\n",
        "# TYPE holdfast_deliveries_total counter\n", "holdfast_deliveries_total{channel=\"sms\"} 30\n",
        "holdfast_delivery_failures_total{channel=\"sms\",outcome=\"retry\"} 4\n",
        "holdfast_delivery_failures_total{channel=\"sms\",outcome=\"permanent\"} 1\n",
        "holdfast_mqtt_link_up 0\n", "holdfast_certificate_expiry_days 30\n", "holdfast_api_key_expiry_days 1.50\n");
    assertThat(text).doesNotContain("outcome=\"delivered\"");
  }

  @Test
  void aStoppedAgentHasNoLinkAttemptsOrExpiryLines() {
    String text = Textfile.render(false, false, status(), Map.of(), null, Instant.EPOCH);
    assertThat(text).contains("holdfast_agent_running 0\n").doesNotContain("failures", "link_up", "expiry");
  }

  @Test
  void theFileIsReplacedWholeAndReadableByTheCollector() throws Exception {
    Path file = dir.resolve("holdfast-agent.prom");
    Files.writeString(file, "old\n");
    Textfile.write(file, "holdfast_agent_running 1\n");
    assertThat(Files.readString(file)).isEqualTo("holdfast_agent_running 1\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }
}
