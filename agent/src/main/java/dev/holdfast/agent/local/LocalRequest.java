package dev.holdfast.agent.local;

import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.RecordId;
import java.io.IOException;
import java.util.Optional;

/**
 * One local API request as a value (the {@code "op"} of a request line), and what it does to an
 * {@link OutboxPort}. {@link LocalJson} is its one JSON form.
 */
public sealed interface LocalRequest {
  /** Carries this request out against {@code port}. */
  LocalResponse applyTo(OutboxPort port) throws LocalApiException, IOException;

  record Send(NewMessage message) implements LocalRequest {
    @Override
    public LocalResponse applyTo(OutboxPort port) throws LocalApiException, IOException {
      return new LocalResponse.Sent(port.send(message));
    }
  }

  /**
   * One page of records: at most {@code limit} (1 to {@link #MAX_LIMIT}), those after {@code after}
   * if given. A page's line stays well under the local API's 1 MiB.
   */
  record ListRecords(boolean dead, Optional<RecordId> after, int limit) implements LocalRequest {
    public static final int MAX_LIMIT = 1000;

    public ListRecords {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("a page holds 1 to " + MAX_LIMIT + " records, not " + limit);
      }
    }

    /** The first page, as large as a page can be. */
    public static ListRecords first(boolean dead) {
      return new ListRecords(dead, Optional.empty(), MAX_LIMIT);
    }

    @Override
    public LocalResponse applyTo(OutboxPort port) throws LocalApiException, IOException {
      return port.list(this);
    }
  }

  record Show(RecordId id) implements LocalRequest {
    @Override
    public LocalResponse applyTo(OutboxPort port) throws LocalApiException, IOException {
      return new LocalResponse.Shown(port.show(id));
    }
  }

  /** One record, by id. */
  record Retry(RecordId id) implements LocalRequest {
    @Override
    public LocalResponse applyTo(OutboxPort port) throws LocalApiException, IOException {
      port.retry(id);
      return new LocalResponse.Retried(1);
    }
  }

  /** Every dead letter. */
  record RetryDead() implements LocalRequest {
    @Override
    public LocalResponse applyTo(OutboxPort port) throws LocalApiException, IOException {
      return new LocalResponse.Retried(port.retryAllDead());
    }
  }

  record Drop(RecordId id) implements LocalRequest {
    @Override
    public LocalResponse applyTo(OutboxPort port) throws LocalApiException, IOException {
      port.drop(id);
      return new LocalResponse.Dropped();
    }
  }

  record Status() implements LocalRequest {
    @Override
    public LocalResponse applyTo(OutboxPort port) throws LocalApiException, IOException {
      return new LocalResponse.Status(port.status());
    }
  }
}
