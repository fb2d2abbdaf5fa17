package dev.holdfast.provisioning.apikeys;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The secret keys under which tokens and API keys are stored as HMACs: 32 random bytes, sealed in
 * the registry under a name, made on first use. A copy of the registry without its vault key
 * cannot test guesses.
 */
public final class Peppers {
  private Peppers() {}

  public static Secret loadOrCreate(Registry registry, String name, SecureRandom random) throws RegistryException {
    Optional<Secret> existing = registry.read(tx -> tx.secrets().find(name));
    if (existing.isPresent()) {
      return existing.get();
    }
    return registry.write(tx -> {
      Optional<Secret> raced = tx.secrets().find(name);
      if (raced.isPresent()) {
        return raced.get();
      }
      byte[] b = new byte[32];
      random.nextBytes(b);
      Secret s = Secret.wrap(b);
      tx.secrets().put(name, s);
      return s;
    });
  }
}
