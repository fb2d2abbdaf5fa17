package dev.holdfast.agent.secrets;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Named third-party secrets in the vault; names are hidden too (they can say who you use). */
public final class Secrets {
  /** Names: what a person would type, safe in a shell and a log line. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public static final VaultCollection<String, Secret> COLLECTION =
      VaultCollection.hidden("secrets", Codec.UTF8, Codec.SECRET);

  private final Vault vault;

  public Secrets(Vault vault) {
    this.vault = vault;
  }

  public static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("secret name '" + name + "' is not allowed: use 1-128 letters, "
          + "digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  public void put(String name, Secret value) throws VaultException {
    checkName(name);
    vault.write(tx -> {
      tx.put(COLLECTION, name, value);
      return null;
    });
  }

  public Optional<Secret> get(String name) throws VaultException {
    return vault.get(COLLECTION, name);
  }

  /** Names in alphabetical order. */
  public List<String> names() throws VaultException {
    return vault.entries(COLLECTION).stream().map(Map.Entry::getKey).sorted().toList();
  }

  /** @return false when there was no such secret */
  public boolean remove(String name) throws VaultException {
    return vault.write(tx -> tx.remove(COLLECTION, name));
  }
}
