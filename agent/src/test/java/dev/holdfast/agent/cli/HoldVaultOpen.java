package dev.holdfast.agent.cli;

import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.file.Path;
import java.security.SecureRandom;

/** Child process: opens the vault, says "open", and holds it until standard input closes. */
public final class HoldVaultOpen {
  private HoldVaultOpen() {}

  public static void main(String[] args) throws Exception {
    Path keyFile = Path.of(args[1]);
    try (Vault v = Vault.open(Path.of(args[0]),
        MasterKeySource.ofKey(KeyFiles.read(keyFile), "key file"), new SecureRandom())) {
      System.out.println("open " + v.file());
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold until the parent closes the pipe
      }
    }
  }
}
