package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The service's command line read without picocli: the same options as picocli reads, or none. */
class RunLineTest {
  /** What picocli makes of a line that runs {@code run}: the root command's options, as a list. */
  private static List<Object> picocli(String... args) {
    CommandLine cmd = Cli.commandLine(null, args);
    ParseResult parsed = cmd.parseArgs(args);
    assertThat(parsed.subcommand()).as("picocli runs run for %s", Arrays.toString(args)).isNotNull();
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
    return options((AgentCommand) parsed.commandSpec().userObject());
  }

  private static List<Object> options(AgentCommand c) {
    return Arrays.asList(c.config, c.dataDir, c.keyFile, c.socket, c.logLevel);
  }

  @Test
  void theLinesTheUnitAndTheDocsUseAreReadAsPicocliReadsThem() {
    List<String[]> lines = List.of(
        new String[] {"run"},
        new String[] {"--log-level", "info", "run"},
        new String[] {"--config", "/etc/holdfast/agent.conf", "--data-dir", "/var/lib/holdfast", "--key-file",
            "/etc/holdfast/store.key", "--socket", "/run/holdfast/agent.sock", "--log-level", "warn", "run"},
        new String[] {"run", "--config=/etc/holdfast/agent.conf", "--socket=/tmp/agent.sock"},
        new String[] {"--config", "status", "run"},
        new String[] {"--data-dir=data", "run", "--log-level=debug", "--key-file", "store.key"});
    for (String[] line : lines) {
      Optional<AgentCommand> read = RunLine.parse(null, line);
      assertThat(read).as(Arrays.toString(line)).isPresent();
      assertThat(options(read.get())).as(Arrays.toString(line)).isEqualTo(picocli(line));
    }
  }

  @ParameterizedTest(name = "«{0}»")
  @ValueSource(strings = {"", "status", "--help", "run --help", "run -h", "-V run", "--version", "run run",
      "--config a --config b run", "run --config", "--config= run", "--config -x run", "--colour red run",
      "run extra", "-- run", "--config run run", "--config=run run", "--log-level=info", "--data-dir=a\0b run"})
  void anythingElseIsLeftToPicocli(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    assertThat(RunLine.parse(null, args)).isEmpty();
  }

  @Test
  void whateverLineItAcceptsPicocliRunsAsRunWithTheSameOptions() {
    String[] options = {"--config", "--data-dir", "--key-file", "--socket", "--log-level"};
    String[] values = {"a", "/b/c", "info", "status", "run", "-x", "", "--help", "x=y", "--config"};
    String[] junk = {"--help", "-h", "status", "--", "--colour", "run", "-V", "extra"};
    SplittableRandom random = new SplittableRandom(11);
    int accepted = 0;
    for (int n = 0; n < 20_000; n++) {
      List<List<String>> units = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        String option = options[random.nextInt(options.length)];
        String value = values[random.nextInt(random.nextInt(5) == 0 ? values.length : 3)];
        units.add(random.nextBoolean() ? List.of(option + "=" + value) : List.of(option, value));
      }
      if (random.nextInt(4) > 0) { // the command, before, between or after the options
        units.add(random.nextInt(units.size() + 1), List.of("run"));
      }
      List<String> line = new ArrayList<>();
      units.forEach(line::addAll);
      if (random.nextInt(10) == 0) {
        line.add(random.nextInt(line.size() + 1), junk[random.nextInt(junk.length)]);
      }
      if (random.nextInt(10) == 0 && !line.isEmpty()) {
        line.remove(random.nextInt(line.size()));
      }
      String[] args = line.toArray(String[]::new);
      Optional<AgentCommand> read = RunLine.parse(null, args);
      if (read.isPresent()) {
        accepted++;
        assertThat(options(read.get())).as(line.toString()).isEqualTo(picocli(args));
      }
    }
    assertThat(accepted).as("lines accepted").isGreaterThan(5_000);
  }
}
