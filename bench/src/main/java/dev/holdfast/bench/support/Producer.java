package dev.holdfast.bench.support;

import dev.holdfast.agent.local.LocalApiClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends webhooks through the agent's socket, each with an idempotency key the caller chose, and
 * says how each ended: acknowledged (durable), refused (the agent said no), or in doubt (the
 * connection died before the answer — the agent may or may not have the record). An in-doubt
 * message is sent again with the same key; the outbox answers with the queued record if it has
 * it, so nothing is queued twice.
 */
public final class Producer implements AutoCloseable {
  /** How one send ended. */
  public enum Outcome {
    ACKED,
    REFUSED,
    IN_DOUBT
  }

  private final Path socket;
  private LocalApiClient client;

  public Producer(Path socket) {
    this.socket = socket;
  }

  public static Map<String, Object> webhook(String url, String key, String body) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("op", "send");
    r.put("channel", "webhook");
    r.put("url", url);
    r.put("idempotency_key", key);
    r.put("body", body);
    return r;
  }

  public Outcome send(Map<String, Object> request) {
    try {
      if (client == null) {
        client = LocalApiClient.connect(socket);
      }
      Map<String, Object> response = client.call(request);
      return Boolean.TRUE.equals(response.get("ok")) ? Outcome.ACKED : Outcome.REFUSED;
    } catch (IOException e) {
      close();
      return Outcome.IN_DOUBT;
    }
  }

  /** One request that is not a send (status, list); empty when the agent is not reachable. */
  public static java.util.Optional<Map<String, Object>> ask(Path socket, Map<String, Object> request) {
    try (LocalApiClient c = LocalApiClient.connect(socket)) {
      return java.util.Optional.of(c.call(request));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  @Override
  public void close() {
    if (client != null) {
      try {
        client.close();
      } catch (IOException ignored) {
        // already broken
      }
      client = null;
    }
  }
}
