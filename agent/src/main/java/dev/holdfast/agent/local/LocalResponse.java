package dev.holdfast.agent.local;

import dev.holdfast.agent.local.Views.RecordDetail;
import dev.holdfast.agent.local.Views.RecordSummary;
import dev.holdfast.agent.outbox.RecordId;
import java.util.List;

/** One local API answer as a value; {@link LocalJson} is its one JSON form. */
public sealed interface LocalResponse {
  record Sent(RecordId id) implements LocalResponse {}

  /** One page; {@code more} when records follow the last one. */
  record Listed(List<RecordSummary> records, boolean more) implements LocalResponse {
    public Listed {
      records = List.copyOf(records);
    }
  }

  record Shown(RecordDetail record) implements LocalResponse {}

  record Retried(int count) implements LocalResponse {}

  record Dropped() implements LocalResponse {}

  record Status(OutboxPort.Status status) implements LocalResponse {}

  /** The request was refused; nothing changed. */
  record Failed(LocalError error, String message) implements LocalResponse {}
}
