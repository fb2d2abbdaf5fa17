package dev.holdfast.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's own code path, in-process, with fewer messages: every step passes and is narrated,
 * nothing secret is printed, and nothing it started is left running or on disk.
 */
class DemoIT {
  private static final Pattern LONG_HEX = Pattern.compile("[0-9a-fA-F]{32}");

  @Test
  void tellsTheWholeStoryChecksEveryStepAndLeavesNothingBehind(@TempDir Path temp) throws Exception {
    Path dir = temp.resolve("story");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = Demo.tell(new Demo.Options(false, dir, 3), out);
    }
    String told = bytes.toString(StandardCharsets.UTF_8);

    assertThat(code).as(told).isZero();
    assertThat(told)
        .containsPattern("3 devices enrolled at the bench .*dev-[0-9a-z]{16}, dev-[0-9a-z]{16}, dev-[0-9a-z]{16}")
        .contains("provider received: to +15550100001")
        .containsPattern("outbox depth \\(holdfast-agent status --json\\): dev-[0-9a-z]{16} 3, ")
        .containsPattern("kill -9 \\d+ \\(dev-[0-9a-z]{16}\\) with 3 SMS in its outbox")
        .contains("its vault, read with the agent down: 3 queued, nothing lost")
        .contains("it accepted one more: 4 queued")
        .contains("13 of 13 SMS delivered exactly once, in order per device and destination (6 destinations)")
        .containsPattern("dev-[0-9a-z]{16}: new certificate [0-9a-f]+…?, new API key \\S+ \\(\\d+ ms\\)")
        .containsPattern("dev-[0-9a-z]{16}'s old API key \\(\\S+\\) now gets 401 from the relay")
        .contains("one more SMS per device arrived, sent with the new keys")
        .containsPattern("revoked dev-[0-9a-z]{16} \\(revoke --device\\): its live session was cut \\d+ ms after")
        .contains("its reconnects are refused by the broker; the other two stay connected")
        .contains("every step checked: the demo passed");
    assertThat(told).doesNotContain("hf_", "hfe_", "PRIVATE KEY", "BEGIN");
    assertThat(LONG_HEX.matcher(told).find()).as(told).isFalse();

    assertThat(Files.exists(dir)).isFalse();
    assertThat(ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))).isEmpty();
  }

  @Test
  void refusesOptionsItDoesNotKnowNamingThem() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Demo.parse(new String[] {"--kep"}))
        .hasMessage("unknown option --kep");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Demo.parse(new String[] {"--messages", "9"}))
        .hasMessage("--messages must be a whole number from 1 to 8, not 9");
  }
}
