package dev.holdfast.bench.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time-to-online part with one repetition: the packaged agent enrolls over HTTPS, starts
 * against a real Mosquitto and its retained online state arrives; the report has every figure.
 */
class EnrollmentOnlineIT {
  @TempDir Path dir;

  @Test
  void writesAnOnlineSectionWithTheBaselineTheSocketAndTheOnlineState() throws Exception {
    Path report = dir.resolve("enrollment.md");

    Report.RESULTS.at(report).writeSection("online", OnlineReport.markdown(OnlinePart.run(dir.resolve("work"), 1)));

    String md = Files.readString(report, StandardCharsets.UTF_8);
    assertThat(md).contains("<!-- begin online -->", "## Agent start to retained online state");
    String figures = "( \\| [0-9]+(\\.[0-9]+)?){4} \\|";
    assertThat(md).containsPattern(Pattern.quote("| `holdfast-agent --version` exits (baseline: JVM start)") + figures)
        .containsPattern(Pattern.quote("| `holdfast-agent run`: local socket answers a status call") + figures)
        .containsPattern(Pattern.quote("| `holdfast-agent run`: retained `online:true` received") + figures)
        .doesNotContain("NaN");
  }
}
