package dev.holdfast.bench.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.bench.support.TimeChart;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet rotation benchmark with a small fleet: every device really rotates, and the report has every figure. */
class FleetRotationBenchmarkIT {
  @TempDir Path dir;

  @Test
  void aSmallFleetAllConfirmsAndTheReportAndChartCarryItsFigures() throws Exception {
    FleetRotationBenchmark.Result r = FleetRotationBenchmark.measure(12, 4);

    assertThat(r.devices()).isEqualTo(12);
    assertThat(r.progress().get(r.progress().size() - 1).level()).as("every device confirmed").isEqualTo(12);
    assertThat(r.perSecond()).isPositive();
    assertThat(r.requests().perSecond()).isPositive();
    assertThat(r.requests().cpuMillisEach()).isPositive();
    assertThat(r.reconnects().perSecond()).isPositive();
    assertThat(r.reconnects().cpuMillisEach()).isPositive();
    assertThat(r.cpuMillisPerDevice()).isPositive();
    assertThat(r.ceilingPerSecond()).isPositive();
    assertThat(r.service().answeringMillisPerDevice()).isPositive();
    assertThat(r.service().answeringBusy()).isBetween(0.0, 1.05);
    String md = FleetRotationBenchmark.report(r);
    assertThat(md).contains("| devices rotated, confirmed | 12 |").containsPattern(
        "\\| \\*\\*devices rotated per second\\*\\* \\| \\*\\*[0-9]+\\.[0-9]\\*\\* \\|")
        .containsPattern("\\| reconnect baseline: connections per second \\| [0-9]+\\.[0-9] \\|")
        .containsPattern("Goal: >= 100 devices/s .*: (met|NOT met)").doesNotContain("NaN", "Infinity");
    Path png = dir.resolve("chart.png");
    TimeChart.write(png, "test", r.progress(), new TimeChart.Labels("confirmed", "per second"), List.of());
    assertThat(ImageIO.read(png.toFile()).getWidth()).isPositive();
  }
}
