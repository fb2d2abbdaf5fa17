package dev.holdfast.agent.cli;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Entry point of {@code holdfast-agent}, and the one place that reaches for the real world:
 * environment, standard streams, the system clock and the operating system's randomness.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    AgentContext context = new AgentContext(
        System.getenv(), System.in, System.out, System.err,
        new SecureRandom(), Clock.systemUTC(), new ConsolePrompt());
    int code = Cli.run(context, args);
    System.exit(code);
  }
}
