package dev.holdfast.agent.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints a bash/zsh completion script for every command and option. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a bash completion script (zsh: load it after 'autoload -U bashcompinit && bashcompinit').",
      "Install: holdfast-agent completion > /etc/bash_completion.d/holdfast-agent"
    })
final class CompletionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    // the tree this ran in holds only this subcommand (Cli.commandLine): the script covers them all
    AgentContext context = ((AgentCommand) spec.parent().userObject()).context;
    spec.commandLine().getOut().print(AutoComplete.bash("holdfast-agent", Cli.commandLine(context)));
    spec.commandLine().getOut().flush();
  }
}
