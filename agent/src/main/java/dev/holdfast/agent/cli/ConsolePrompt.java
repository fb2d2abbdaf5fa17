package dev.holdfast.agent.cli;

import dev.holdfast.vault.KeySourceResolver;
import dev.holdfast.vault.VaultException;
import java.io.Console;
import java.util.Arrays;
import java.util.Optional;

/** Asks for a passphrase on the terminal without echo; nothing when there is no terminal. */
final class ConsolePrompt implements KeySourceResolver.PassphrasePrompt {
  @Override
  public Optional<char[]> ask(String prompt, boolean confirm) throws VaultException {
    Console console = System.console();
    if (console == null) {
      return Optional.empty();
    }
    char[] first = console.readPassword("%s", prompt);
    if (first == null || first.length == 0) {
      return Optional.empty();
    }
    if (confirm) {
      char[] second = console.readPassword("%s", "Repeat the passphrase: ");
      boolean same = second != null && Arrays.equals(first, second);
      if (second != null) {
        Arrays.fill(second, '\0');
      }
      if (!same) {
        Arrays.fill(first, '\0');
        throw new VaultException(VaultException.Reason.NO_KEY, "the passphrases did not match; nothing was created");
      }
    }
    return Optional.of(first);
  }
}
