package dev.holdfast.vault;

import dev.holdfast.protocol.crypto.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the master key; the first source present wins: the systemd credential {@code
 * $CREDENTIALS_DIRECTORY/<credential>}, then a key file, then a passphrase from {@code
 * HOLDFAST_PASSPHRASE} or from an interactive prompt (development only).
 */
public final class KeySourceResolver {
  public static final String PASSPHRASE_ENV = "HOLDFAST_PASSPHRASE";

  /** Asks a person for a passphrase; empty when nobody is there to ask. */
  @FunctionalInterface
  public interface PassphrasePrompt {
    Optional<char[]> ask(String prompt, boolean confirm) throws VaultException;
  }

  private final Map<String, String> env;
  private final String credentialName;
  private final PassphrasePrompt prompt;

  public KeySourceResolver(Map<String, String> env, String credentialName, PassphrasePrompt prompt) {
    this.env = Map.copyOf(env);
    this.credentialName = credentialName;
    this.prompt = prompt;
  }

  /**
   * @param keyFile the configured key file, if any
   * @param creating true when a new vault is made, so an interactive passphrase is asked twice
   */
  public MasterKeySource resolve(Optional<Path> keyFile, boolean creating) throws VaultException {
    String credentials = env.get("CREDENTIALS_DIRECTORY");
    if (credentials != null && !credentials.isBlank()) {
      Path credential = Path.of(credentials, credentialName);
      if (Files.isRegularFile(credential)) {
        try {
          Secret key = KeyFiles.parse(Files.readAllBytes(credential), "systemd credential " + credential);
          return MasterKeySource.ofKey(key, "systemd credential " + credentialName);
        } catch (IOException e) {
          throw new VaultException(
              VaultException.Reason.IO,
              "could not read systemd credential " + credential + ": " + e.getMessage(),
              e);
        }
      }
    }
    if (keyFile.isPresent()) {
      return MasterKeySource.ofKey(KeyFiles.read(keyFile.get()), "key file " + keyFile.get());
    }
    String passphrase = env.get(PASSPHRASE_ENV);
    if (passphrase != null && !passphrase.isEmpty()) {
      return MasterKeySource.ofPassphrase(
          passphrase.toCharArray(), "passphrase from " + PASSPHRASE_ENV + " (development only)");
    }
    Optional<char[]> typed = prompt.ask("Vault passphrase: ", creating);
    if (typed.isPresent()) {
      char[] chars = typed.get();
      MasterKeySource source = MasterKeySource.ofPassphrase(chars, "passphrase from prompt (development only)");
      java.util.Arrays.fill(chars, '\0');
      return source;
    }
    throw new VaultException(
        VaultException.Reason.NO_KEY,
        "no vault key: run under systemd with LoadCredentialEncrypted="
            + credentialName
            + ", pass --key-file FILE (see 'vault keygen'), or for development set "
            + PASSPHRASE_ENV);
  }
}
