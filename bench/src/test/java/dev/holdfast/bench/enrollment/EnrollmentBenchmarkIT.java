package dev.holdfast.bench.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enrollment benchmark with tiny counts: real enrollments over HTTPS, and a report with every figure. */
class EnrollmentBenchmarkIT {
  @TempDir Path dir;

  @Test
  void writesARateSectionWithAFigureForEveryConcurrencyAndReference() throws Exception {
    Path report = dir.resolve("enrollment.md");

    EnrollmentBenchmark.run(new String[] {"--enrollments", "2", "--baseline-requests", "2", "--rounds", "1",
        "--reference-count", "3", "--fsync-count", "2", "--online-runs", "0"}, report, new int[] {1, 2});

    String md = Files.readString(report, StandardCharsets.UTF_8);
    assertThat(md).contains("<!-- begin rate -->", "<!-- end rate -->", "## Enrollments per second");
    for (String n : new String[] {"1", "2"}) {
      // N, enrollments/s, median, p99, POST/s, POST median, POST p99, two ratios: all positive numbers
      assertThat(md).containsPattern(Pattern.compile("\\| " + n + "( \\| [0-9]+(\\.[0-9]+)?){8} \\|\\n"));
      // the step medians and exactly one server registry commit per enrollment
      assertThat(md).containsPattern(Pattern.compile("\\| " + n + "( \\| [0-9]+(\\.[0-9]+)?){3} \\| 1\\.00 \\|\\n"));
    }
    for (String name : References.NAMES) {
      assertThat(md).containsPattern(Pattern.compile(Pattern.quote("| " + name + " | ") + "[0-9]+(\\.[0-9]+)? \\| "
          + "[0-9]+(\\.[0-9]+)? \\|"));
    }
    assertThat(md).containsPattern("(calls per enrollment, .*: [0-9.]+ for a whole enrollment, [0-9.]+ of them the server's"
        + "|fsync calls were not counted)");
    assertThat(md).doesNotContain("NaN", "Infinity", "<!-- begin online -->");
  }

  @Test
  void replacesItsOwnSectionAndKeepsTheRestOfTheFile() throws Exception {
    Path report = dir.resolve("enrollment.md");
    Files.writeString(report, "# kept\n\n<!-- begin rate -->\nold figures\n<!-- end rate -->\n\n<!-- begin other -->\n"
        + "other figures\n<!-- end other -->\n");

    Report.RESULTS.at(report).writeSection("rate", "new figures\n");

    assertThat(Files.readString(report)).isEqualTo("# kept\n\n<!-- begin rate -->\nnew figures\n<!-- end rate -->\n\n"
        + "<!-- begin other -->\nother figures\n<!-- end other -->\n");
  }
}
