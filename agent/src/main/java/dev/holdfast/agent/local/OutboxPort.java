package dev.holdfast.agent.local;

import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.local.Views.RecordDetail;
import dev.holdfast.agent.local.Views.RecordSummary;
import dev.holdfast.agent.local.Views.StatusReport;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.RecordId;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox as a producer or the command line uses it: through a running agent's socket ({@link
 * SocketOutboxPort}), or in this process on the vault when no agent runs ({@link
 * InProcessOutboxPort}); both mean the same, since the socket's server answers through the second.
 * A refusal is a {@link LocalApiException} with its {@link LocalError}; an {@link IOException} is a
 * connection to the agent that failed mid-request.
 */
public interface OutboxPort extends AutoCloseable {
  /** Queues {@code message}; returns once the record is durable. */
  RecordId send(NewMessage message) throws LocalApiException, IOException;

  /** Queued records, oldest first, or the dead letters. */
  LocalResponse.Listed list(LocalRequest.ListRecords page) throws LocalApiException, IOException;

  RecordDetail show(RecordId id) throws LocalApiException, IOException;

  /** Attempts a queued record now, or puts a dead letter back in the queue. */
  void retry(RecordId id) throws LocalApiException, IOException;

  /** Puts every dead letter back in the queue; returns how many. */
  int retryAllDead() throws LocalApiException, IOException;

  /** Deletes a record, queued or dead. */
  void drop(RecordId id) throws LocalApiException, IOException;

  /** The outbox at a glance, and the device's identity (ids and dates). */
  Status status() throws LocalApiException, IOException;

  /**
   * What {@link #status} answers.
   *
   * @param runtime what only a running agent knows (its MQTT link, its health, its delivery
   *     attempts), as the sections of the JSON answer they are; empty when no agent runs
   */
  record Status(StatusReport outbox, IdentityStatus identity, Map<String, Object> runtime) {
    public Status {
      runtime = Collections.unmodifiableMap(new LinkedHashMap<>(runtime));
    }
  }

  @Override
  void close() throws IOException;
}
