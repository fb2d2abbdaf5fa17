package dev.holdfast.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.agent.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The shipped systemd units, read as systemd reads them. */
class UnitFilesTest {
  static final double MAX_EXPOSURE = 2.5;
  static final Pattern OVERALL = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");

  static Path unit(String name) {
    return Processes.projectRoot().resolve("systemd").resolve(name);
  }

  static double exposure(Path unit) throws Exception {
    String analyze = Processes.require("systemd-analyze", "systemd");
    Processes.Result r = Processes.run(60, List.of(analyze, "security", "--offline=true", "--no-pager",
        unit.toString()));
    Matcher m = OVERALL.matcher(r.output());
    assertThat(m.find()).as("systemd-analyze security said:\n" + r.output()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"holdfast-agent.service", "holdfast-provisioning.service"})
  void systemdAnalyzeSecurityRatesTheShippedUnitAtMost2Point5(String name) throws Exception {
    assertThat(exposure(unit(name))).as(name).isLessThanOrEqualTo(MAX_EXPOSURE);
  }

  /** What a GPIO drop-in opens again (docs/systemd.md): used when no drop-in is shipped beside the unit. */
  static final String GPIO_LIKE = """
      [Service]
      PrivateDevices=no
      PrivateUsers=no
      DeviceAllow=/dev/gpiochip0 rw
      SupplementaryGroups=gpio
      """;

  @Test
  void theAgentUnitWithItsDropInsAppliedStaysAtMost2Point5() throws Exception {
    Path dir = unit("holdfast-agent.service.d");
    List<Path> dropIns = List.of();
    if (Files.isDirectory(dir)) {
      try (java.util.stream.Stream<Path> files = Files.list(dir)) {
        dropIns = files.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
      }
    }
    StringBuilder merged = new StringBuilder(Files.readString(unit("holdfast-agent.service")));
    if (dropIns.isEmpty()) {
      merged.append('\n').append(GPIO_LIKE);
    }
    for (Path d : dropIns) {
      merged.append('\n').append(Files.readString(d));
    }
    Path copy = Files.createTempFile("holdfast-agent-", ".service");
    try {
      Files.writeString(copy, merged);
      assertThat(exposure(copy)).as("with " + (dropIns.isEmpty() ? "a GPIO-like drop-in" : dropIns))
          .isLessThanOrEqualTo(MAX_EXPOSURE);
    } finally {
      Files.delete(copy);
    }
  }

  @Test
  void aWeakenedCopyOfTheUnitIsRatedAbove2Point5SoTheCheckCanFail() throws Exception {
    String text = Files.readString(unit("holdfast-agent.service"));
    String weak = text.lines().filter(l -> !l.matches("(Protect|Private|Restrict|SystemCall|Capability|NoNew).*"))
        .reduce("", (a, b) -> a + b + "\n");
    Path copy = Files.createTempFile("weak-", ".service");
    try {
      Files.writeString(copy, weak);
      assertThat(exposure(copy)).isGreaterThan(MAX_EXPOSURE);
    } finally {
      Files.delete(copy);
    }
  }

  @Test
  void permanentFailuresEndTheRestartLoopWithTheAgentsOwnExitCodes() throws Exception {
    String text = Files.readString(unit("holdfast-agent.service"));
    List<Integer> prevented = Arrays.stream(value(text, "RestartPreventExitStatus").split(" "))
        .map(Integer::parseInt).toList();
    assertThat(prevented).containsExactlyInAnyOrder(ExitCode.USAGE.code(), ExitCode.DATA_ERROR.code(),
        ExitCode.NO_INPUT.code(), ExitCode.NO_PERMISSION.code(), ExitCode.CONFIG.code());
    assertThat(prevented).doesNotContain(ExitCode.TEMP_FAIL.code(), ExitCode.IO_ERROR.code(),
        ExitCode.SOFTWARE.code());
    assertThat(value(text, "Restart")).isEqualTo("on-failure");
  }

  @Test
  void theAgentUnitWaitsForTheNetworkRunsAsItsUserAndStartsOnlyOnceEnrolled() throws Exception {
    String text = Files.readString(unit("holdfast-agent.service"));
    assertThat(value(text, "Type")).isEqualTo("notify");
    assertThat(value(text, "NotifyAccess")).isEqualTo("all");
    assertThat(value(text, "WatchdogSec")).isNotBlank();
    assertThat(value(text, "After")).contains("network-online.target");
    assertThat(value(text, "Wants")).contains("network-online.target");
    assertThat(value(text, "User")).isEqualTo("holdfast");
    assertThat(value(text, "WantedBy")).isEqualTo("multi-user.target");
    assertThat(value(text, "StateDirectory")).isEqualTo("holdfast");
    assertThat(value(text, "RuntimeDirectory")).isEqualTo("holdfast");
    assertThat(value(text, "ConfigurationDirectory")).isEqualTo("holdfast");
    assertThat(value(text, "LoadCredentialEncrypted")).startsWith("store-key:");
    assertThat(value(text, "ConditionPathExists")).isEqualTo(Setting.DATA_DIR.defaultValue() + "/enrolled");
    assertThat(value(text, "MemoryDenyWriteExecute")).as("the JIT writes code").isEqualTo("no");
  }

  @Test
  void theSysusersFileCreatesTheUserTheUnitRunsAs() throws Exception {
    String text = Files.readString(unit("holdfast-agent.service"));
    String sysusers = Files.readString(unit("sysusers.d/holdfast-agent.conf"));
    assertThat(sysusers).containsPattern("(?m)^u " + value(text, "User") + " ");
  }

  /** The last assignment of KEY in the unit. */
  static String value(String unit, String key) {
    String found = null;
    for (String line : unit.split("\n")) {
      if (line.startsWith(key + "=")) {
        found = line.substring(key.length() + 1).strip();
      }
    }
    assertThat(found).as(key + "= in the unit").isNotNull();
    return found;
  }
}
