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
    collect(Cli.commandLine(null), new ArrayList<>(), out);
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

  @Test
  void noOptionOfAnyCommandNeedsAConverterTheAgentLeavesOut() {
    java.util.regex.Pattern excluded = java.util.regex.Pattern.compile(
        String.join("|", Cli.UNUSED_CONVERTERS.split(",")));
    List<String> found = new ArrayList<>();
    for (List<String> path : allCommands()) {
      CommandLine cmd = Cli.commandLine(null);
      for (String name : path) {
        cmd = cmd.getSubcommands().get(name);
      }
      for (CommandLine.Model.ArgSpec arg : cmd.getCommandSpec().args()) {
        boolean custom = arg.converters().length > 0;
        for (Class<?> type : arg.auxiliaryTypes()) {
          if (!custom && excluded.matcher(type.getName()).matches()) {
            found.add(String.join(" ", path) + " " + arg.paramLabel() + ": " + type.getName());
          }
        }
      }
    }
    assertThat(found).as("options of a type whose picocli converter Cli.UNUSED_CONVERTERS leaves out").isEmpty();
    assertThat(excluded.matcher("java.time.Duration").matches()).isTrue();
  }

  @Test
  void aRunLeavesOutPicocliConvertersForJavaTimeAndJavaSql() throws Exception {
    new AgentFixture(home).run("--version");
    assertThat(System.getProperty(Cli.CONVERTER_EXCLUDES)).isEqualTo(Cli.UNUSED_CONVERTERS);
  }

  @Test
  void aCommandLineThatNamesASubcommandBuildsOnlyThatOneAndOtherwiseTheWholeTree() {
    assertThat(Cli.commandLine(null, "run").getSubcommands()).containsOnlyKeys("run");
    assertThat(Cli.commandLine(null, "--config", "/etc/holdfast/agent.conf", "--log-level=debug", "run", "--help")
        .getSubcommands()).containsOnlyKeys("run");
    assertThat(Cli.commandLine(null, "--data-dir", "vault", "secret", "list").getSubcommands())
        .as("an option's value that looks like a command is the option's").containsOnlyKeys("secret");
    List<String> all = allCommands().stream().filter(c -> c.size() == 1).map(c -> c.get(0)).toList();
    assertThat(all).hasSize(AgentCommand.SUBCOMMANDS.size()).contains("run", "vault", "completion");
    for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"-h", "run"}, new String[] {"rnu"},
        new String[] {"--", "run"}, new String[] {"--config"})) {
      assertThat(Cli.commandLine(null, args).getSubcommands().keySet()).as(String.join(" ", args))
          .containsExactlyElementsOf(all);
    }
  }

  @Test
  void aMistypedCommandIsAUsageErrorThatSuggestsTheRightOne() throws Exception {
    AgentFixture.Result r = new AgentFixture(home).run("vaul", "status");
    assertThat(r.code()).isEqualTo(64);
    assertThat(r.err()).contains("vaul").contains("vault");
  }

  @Test
  void theRootsHelpBeforeACommandStillListsEveryCommand() throws Exception {
    AgentFixture.Result r = new AgentFixture(home).run("--help", "run");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Commands:").contains("  run ").contains("  vault ").contains("  completion ");
  }
}
