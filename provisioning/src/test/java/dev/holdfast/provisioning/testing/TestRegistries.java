package dev.holdfast.provisioning.testing;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/** Registries on a real vault file in a test's temp directory. */
public final class TestRegistries {
  private TestRegistries() {}

  public static MasterKeySource key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 7);
    return MasterKeySource.ofKey(Secret.wrap(k), "test key");
  }

  public static MapDbRegistry create(Path dir, SecureRandom random) throws VaultException {
    return new MapDbRegistry(Vault.create(dir.resolve("provisioning.db"), key(), random));
  }

  public static MapDbRegistry open(Path dir, SecureRandom random) throws VaultException {
    return new MapDbRegistry(Vault.open(dir.resolve("provisioning.db"), key(), random));
  }
}
