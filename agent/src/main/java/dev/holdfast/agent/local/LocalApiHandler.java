package dev.holdfast.agent.local;

import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.outbox.Outbox;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers one local API request line: its JSON read into a {@link LocalRequest} ({@link LocalJson}),
 * carried out on this process's outbox ({@link InProcessOutboxPort}), the {@link LocalResponse}
 * written back as JSON. Every failure is an answer {@code {"ok":false,"error":CODE,"message":...}},
 * never an exception. The protocol is documented in docs/local-api.md.
 */
public final class LocalApiHandler {
  private final OutboxPort port;

  public LocalApiHandler(Outbox outbox) {
    this(outbox, () -> new IdentityStatus(false, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty()));
  }

  /** @param identity what {@code status} shows of the device identity (ids and dates, never keys) */
  public LocalApiHandler(Outbox outbox, Supplier<IdentityStatus> identity) {
    this.port = new InProcessOutboxPort(outbox, identity);
  }

  public Map<String, Object> handle(Map<String, Object> request) {
    LocalResponse response;
    try {
      response = LocalJson.request(request).applyTo(port);
    } catch (LocalApiException e) {
      response = new LocalResponse.Failed(e.error(), e.getMessage());
    } catch (IOException e) {
      response = new LocalResponse.Failed(LocalError.INTERNAL, e.getMessage());
    }
    return LocalJson.toJson(response);
  }

  /** The answer to a line that could not be read as a request at all. */
  static Map<String, Object> error(LocalError error, String message) {
    return LocalJson.toJson(new LocalResponse.Failed(error, message));
  }

  /** For callers that get numbers back from JSON. */
  public static long number(Object value) {
    return LocalJson.number(value);
  }
}
