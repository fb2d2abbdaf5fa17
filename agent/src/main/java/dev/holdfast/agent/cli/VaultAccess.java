package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.vault.KeySourceResolver;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;

/** Opens the vault the configuration points at, with the key the resolver finds. */
final class VaultAccess {
  private VaultAccess() {}

  static MasterKeySource keySource(AgentContext ctx, AgentConfig config, boolean creating) throws VaultException {
    return new KeySourceResolver(ctx.env(), config.credentialName(), ctx.prompt())
        .resolve(config.keyFile(), creating);
  }

  static Vault open(AgentContext ctx, AgentConfig config) throws VaultException {
    return Vault.open(config.vaultFile(), keySource(ctx, config, false), ctx.random());
  }
}
