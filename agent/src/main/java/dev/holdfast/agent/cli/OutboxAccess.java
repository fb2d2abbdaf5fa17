package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.local.LocalApiClient;
import dev.holdfast.agent.local.LocalApiHandler;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.io.IOException;
import java.util.Map;

/**
 * The outbox as the commands see it: through a running agent's socket, or — when no agent runs —
 * straight from the vault through the same request handler, so both paths mean the same thing.
 */
final class OutboxAccess implements AutoCloseable {
  private final LocalApiClient client;
  private final Vault vault;
  private final Outbox outbox;
  private final LocalApiHandler direct;

  private OutboxAccess(LocalApiClient client, Vault vault, Outbox outbox) {
    this.client = client;
    this.vault = vault;
    this.outbox = outbox;
    this.direct = outbox == null ? null
        : new LocalApiHandler(outbox, IdentityStatus.of(new IdentityStore(vault)));
  }

  static OutboxAccess open(AgentContext ctx, AgentConfig config) throws CliException, VaultException {
    try {
      return new OutboxAccess(LocalApiClient.connect(config.socket()), null, null);
    } catch (IOException agentNotReachable) {
      Vault vault;
      try {
        vault = VaultAccess.open(ctx, config);
      } catch (VaultException e) {
        if (e.reason() == VaultException.Reason.LOCKED) {
          throw new CliException(ExitCode.TEMP_FAIL, "the agent holds the vault but its socket " + config.socket()
              + " did not answer (" + agentNotReachable.getMessage() + "); check --socket and its permissions");
        }
        throw e;
      }
      try {
        return new OutboxAccess(null, vault, Outbox.open(vault, config.outbox(), ctx.clock(), ctx.random()));
      } catch (VaultException | RuntimeException e) {
        vault.close();
        throw e;
      }
    }
  }

  boolean viaAgent() {
    return client != null;
  }

  /** Sends a request; an error response becomes a CliException with its exit code. */
  Map<String, Object> call(Map<String, Object> request) throws CliException {
    Map<String, Object> response;
    try {
      response = client != null ? client.call(request) : direct.handle(request);
    } catch (IOException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "lost the connection to the agent: " + e.getMessage());
    }
    if (Boolean.TRUE.equals(response.get("ok"))) {
      return response;
    }
    throw new CliException(exitCodeOf(String.valueOf(response.get("error"))), String.valueOf(response.get("message")));
  }

  static ExitCode exitCodeOf(String error) {
    return switch (error) {
      case "bad_request" -> ExitCode.USAGE;
      case "invalid", "too_large", "conflict" -> ExitCode.DATA_ERROR;
      case "full", "closed" -> ExitCode.TEMP_FAIL;
      case "not_found" -> ExitCode.NO_INPUT;
      case "storage" -> ExitCode.IO_ERROR;
      default -> ExitCode.SOFTWARE;
    };
  }

  @Override
  public void close() throws IOException {
    if (client != null) {
      client.close();
    }
    if (outbox != null) {
      outbox.close();
      vault.close();
    }
  }
}
