package dev.holdfast.provisioning.credentials;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.provisioning.ca.CaKeys;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * Signs operator commands (ping, later rotate) with the fleet's command-signing key, which devices
 * pinned at enrollment. The key is read from the registry's sealed secrets for each signature and
 * dropped again: commands are rare, so it is not kept in memory.
 */
public final class CommandSigner {
  private final Registry registry;
  private final SecureRandom random;

  public CommandSigner(Registry registry, SecureRandom random) {
    this.registry = registry;
    this.random = random;
  }

  public Command sign(String id, String deviceId, String type, Instant issuedAt, Instant expiresAt)
      throws RegistryException {
    Secret der = registry.read(tx -> tx.secrets().find(FleetCa.COMMAND_KEY)).orElseThrow(() -> new RegistryException(
        RegistryException.Reason.CORRUPT, "the command-signing key is missing from the registry", null));
    try {
      return Command.signed(id, deviceId, type, issuedAt, expiresAt, CaKeys.fromSecret(der), random);
    } finally {
      der.destroy();
    }
  }

  @Override
  public String toString() {
    return "CommandSigner[key redacted]";
  }
}
