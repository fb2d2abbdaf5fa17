package dev.holdfast.agent.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.common.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxSettingsTest {
  static final long MIB = 1024 * 1024;

  static OutboxSettings holding(int maxRecords) {
    return new OutboxSettings(maxRecords, 1L << 30, 65536, OutboxSettings.WhenFull.REFUSE, Duration.ofDays(7), 4,
        Duration.ofSeconds(1), Duration.ofMinutes(5));
  }

  @Test
  void aMaxRecordsWhoseIndexWouldNotFitTheHeapIsAConfigurationErrorNamingBothWaysOut() {
    assertThatThrownBy(() -> holding(1_000_000).checkFitsHeap(64 * MIB))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("outbox.max-records = 1000000 needs about 172 MiB")
        .hasMessageContaining("maximum heap (64 MiB) has room for about 223696 records")
        .hasMessageContaining("lower outbox.max-records")
        .hasMessageContaining("HOLDFAST_JAVA_OPTS=\"-Xmx<size>\"");
  }

  @Test
  void theDefaultAndTheTestedQueuesFitTheHeapsTheyRunWith() {
    assertThatCode(() -> holding(10_000).checkFitsHeap(64 * MIB)).doesNotThrowAnyException();
    // QueueFootprintIT's 100,000 queued with the shipped flags; the benchmarks' agents have 256 MiB
    assertThatCode(() -> holding(110_000).checkFitsHeap(64 * MIB)).doesNotThrowAnyException();
    assertThatCode(() -> holding(400_000).checkFitsHeap(256 * MIB)).doesNotThrowAnyException();
    assertThatThrownBy(() -> holding(224_000).checkFitsHeap(64 * MIB)).isInstanceOf(ConfigException.class);
  }
}
