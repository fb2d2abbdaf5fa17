package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.local.InProcessOutboxPort;
import dev.holdfast.agent.local.LocalApiException;
import dev.holdfast.agent.local.LocalApiHandler;
import dev.holdfast.agent.local.LocalError;
import dev.holdfast.agent.local.OutboxPort;
import dev.holdfast.agent.local.SocketOutboxPort;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * The outbox as the commands see it: an {@link OutboxPort} to a running agent's socket, or — when no
 * agent answers — one on the vault in this process; both mean the same thing. A refusal ends the
 * command with the exit code of its {@code LocalError} ({@link ExitCodes}), never one read from a
 * message.
 */
final class OutboxAccess implements AutoCloseable {
  private final OutboxPort port;
  private final boolean viaAgent;
  private final Vault vault;
  private final Outbox outbox;

  /** Operations a command adds for the path without an agent, made from the vault and outbox it opened. */
  @FunctionalInterface
  interface DirectOps {
    Map<String, Function<Map<String, Object>, Map<String, Object>>> of(Vault vault, Outbox outbox);
  }

  private OutboxAccess(OutboxPort port, boolean viaAgent, Vault vault, Outbox outbox) {
    this.port = port;
    this.viaAgent = viaAgent;
    this.vault = vault;
    this.outbox = outbox;
  }

  static OutboxAccess open(AgentContext ctx, AgentConfig config) throws CliException, VaultException {
    try {
      return new OutboxAccess(SocketOutboxPort.connect(config.socket()), true, null, null);
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
        Outbox outbox = Outbox.open(vault, config.outbox(), ctx.clock(), ctx.random());
        return new OutboxAccess(new InProcessOutboxPort(outbox, IdentityStatus.of(new IdentityStore(vault)),
            config.delivery().webhookAllowedUrls()), false,
            vault, outbox);
      } catch (VaultException | RuntimeException e) {
        vault.close();
        throw e;
      }
    }
  }

  /**
   * A request of another feature (the GPIO checks), as JSON: to the agent's socket, or answered in
   * this process by {@code direct}; an error answer becomes a {@link CliException} with its exit code.
   */
  Map<String, Object> callFeature(Map<String, Object> request, DirectOps direct) throws CliException {
    Map<String, Object> response;
    try {
      response = port instanceof SocketOutboxPort socket ? socket.raw(request)
          : new LocalApiHandler(port, direct.of(vault, outbox)).handle(request);
    } catch (IOException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "lost the connection to the agent: " + e.getMessage());
    }
    if (Boolean.TRUE.equals(response.get("ok"))) {
      return response;
    }
    throw new CliException(ExitCodes.of(LocalError.fromWire(String.valueOf(response.get("error")))),
        String.valueOf(response.get("message")));
  }

  boolean viaAgent() {
    return viaAgent;
  }

  /** One operation on the port. */
  @FunctionalInterface
  interface Call<T> {
    T on(OutboxPort port) throws LocalApiException, IOException;
  }

  /** Runs {@code call}; a refusal becomes a {@link CliException} with its exit code. */
  <T> T call(Call<T> call) throws CliException {
    try {
      return call.on(port);
    } catch (LocalApiException e) {
      throw new CliException(ExitCodes.of(e.error()), e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "lost the connection to the agent: " + e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    port.close();
    if (outbox != null) {
      outbox.close();
      vault.close();
    }
  }
}
