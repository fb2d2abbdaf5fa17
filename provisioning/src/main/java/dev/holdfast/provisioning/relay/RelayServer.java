package dev.holdfast.provisioning.relay;

import dev.holdfast.provisioning.api.ApiLimits;
import dev.holdfast.provisioning.support.RateLimiter;
import dev.holdfast.provisioning.api.ApiServer;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The relay's route on the provisioning API server ({@link ApiServer}), and a server carrying that
 * route alone for tests and benchmarks.
 */
public final class RelayServer implements AutoCloseable {
  /** See {@link ApiServer#NO_DELAY_PROPERTY}. */
  public static final String NO_DELAY_PROPERTY = ApiServer.NO_DELAY_PROPERTY;

  private final ApiServer server;

  private RelayServer(ApiServer server) {
    this.server = server;
  }

  /** {@code POST /v1/messages}, to be mounted on the API server. */
  public static ApiServer.Route route(RelaySettings settings, ApiKeyService keys, IdempotencyStore idempotency,
      RateLimiter limiter, SmsSender sender, SecureRandom random) {
    return new ApiServer.Route(MessagesHandler.PATH,
        new MessagesHandler(settings, keys, limiter, idempotency, sender, random));
  }

  /** Binds and starts a server with the relay's route only. */
  public static RelayServer start(InetSocketAddress listen, Optional<ServerCredentials> credentials,
      RelaySettings settings, ApiKeyService keys, IdempotencyStore idempotency, RateLimiter limiter, SmsSender sender,
      ApiLimits limits, SecureRandom random) throws IOException {
    return new RelayServer(ApiServer.start(listen, credentials,
        List.of(route(settings, keys, idempotency, limiter, sender, random)), limits, settings.threads(), random));
  }

  /** See {@link ApiServer#lowLatency()}. */
  public static void lowLatency() {
    ApiServer.lowLatency();
  }

  public int port() {
    return server.port();
  }

  public boolean tls() {
    return server.tls();
  }

  /** Stops accepting and gives running exchanges up to {@code seconds} to finish. */
  public void stop(int seconds) {
    server.stop(seconds);
  }

  @Override
  public void close() {
    stop(1);
  }
}
