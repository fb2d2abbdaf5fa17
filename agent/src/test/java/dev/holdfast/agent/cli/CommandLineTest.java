package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
  @TempDir Path home;

  /** Every command path, e.g. [vault, rekey], found from the command tree itself. */
  static List<List<String>> allCommands() {
    List<List<String>> out = new ArrayList<>();
    collect(new CommandLine(new AgentCommand(null)), new ArrayList<>(), out);
    return out;
  }

  private static void collect(CommandLine cmd, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cmd.getSubcommands().forEach((name, sub) -> {
      List<String> next = new ArrayList<>(path);
      next.add(name);
      collect(sub, next, out);
    });
  }

  @Test
  void everyCommandHasHelpThatExitsZero() throws Exception {
    AgentFixture agent = new AgentFixture(home);
    List<List<String>> commands = allCommands();
    assertThat(commands).extracting(c -> String.join(" ", c))
        .contains("vault keygen", "vault init", "vault status", "vault verify", "vault rekey",
            "secret set", "secret get", "secret list", "secret rm", "completion");
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.add("--help");
      AgentFixture.Result r = agent.run(args.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: holdfast-agent");
    }
  }

  @Test
  void anUnknownOptionIsAUsageErrorWithExit64() throws Exception {
    AgentFixture.Result r = new AgentFixture(home).run("vault", "status", "--colour");
    assertThat(r.code()).isEqualTo(64);
    assertThat(r.err()).contains("Unknown option: '--colour'");
  }

  @Test
  void noCommandIsAUsageError() throws Exception {
    assertThat(new AgentFixture(home).run().code()).isEqualTo(64);
  }

  @Test
  void completionPrintsABashScriptCoveringTheSubcommands() throws Exception {
    AgentFixture.Result r = new AgentFixture(home).run("completion");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("complete -F").contains("keygen").contains("rekey").contains("--data-dir");
  }

  @Test
  void versionIsPrinted() throws Exception {
    AgentFixture.Result r = new AgentFixture(home).run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("holdfast-agent ");
  }
}
