package dev.holdfast.agent.cli;

import dev.holdfast.vault.KeySourceResolver;
import java.io.InputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

/**
 * What commands take from the outside world, passed in so tests can run every command in-process
 * with their own environment, streams, clock and randomness.
 */
public record AgentContext(
    Map<String, String> env,
    InputStream in,
    PrintStream out,
    PrintStream err,
    SecureRandom random,
    Clock clock,
    KeySourceResolver.PassphrasePrompt prompt) {

  public AgentContext {
    env = Map.copyOf(env);
  }
}
