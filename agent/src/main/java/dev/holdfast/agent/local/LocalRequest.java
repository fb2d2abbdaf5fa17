package dev.holdfast.agent.local;

import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.RecordId;
import java.io.IOException;

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

  record ListRecords(boolean dead) implements LocalRequest {
    @Override
    public LocalResponse applyTo(OutboxPort port) throws LocalApiException, IOException {
      return new LocalResponse.Listed(port.list(dead));
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
