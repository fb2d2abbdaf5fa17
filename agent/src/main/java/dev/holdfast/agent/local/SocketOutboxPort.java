package dev.holdfast.agent.local;

import dev.holdfast.agent.local.Views.RecordDetail;
import dev.holdfast.agent.local.Views.RecordSummary;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.RecordId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A running agent's outbox, through its unix socket: each call one request line and one answer line. */
public final class SocketOutboxPort implements OutboxPort {
  private final LocalApiClient client;

  private SocketOutboxPort(LocalApiClient client) {
    this.client = client;
  }

  /** Connects; an {@link IOException} when no agent listens there. */
  public static SocketOutboxPort connect(Path socket) throws IOException {
    return new SocketOutboxPort(LocalApiClient.connect(socket));
  }

  /** A request outside the outbox's own (another feature's op), as JSON, and its answer as JSON. */
  public Map<String, Object> raw(Map<String, Object> request) throws IOException {
    return client.call(request);
  }

  private <R extends LocalResponse> R call(LocalRequest request, Class<R> expected)
      throws LocalApiException, IOException {
    return LocalJson.response(client.call(LocalJson.toJson(request)), expected);
  }

  @Override
  public RecordId send(NewMessage message) throws LocalApiException, IOException {
    return call(new LocalRequest.Send(message), LocalResponse.Sent.class).id();
  }

  @Override
  public LocalResponse.Listed list(LocalRequest.ListRecords page) throws LocalApiException, IOException {
    return call(page, LocalResponse.Listed.class);
  }

  @Override
  public RecordDetail show(RecordId id) throws LocalApiException, IOException {
    return call(new LocalRequest.Show(id), LocalResponse.Shown.class).record();
  }

  @Override
  public void retry(RecordId id) throws LocalApiException, IOException {
    call(new LocalRequest.Retry(id), LocalResponse.Retried.class);
  }

  @Override
  public int retryAllDead() throws LocalApiException, IOException {
    return call(new LocalRequest.RetryDead(), LocalResponse.Retried.class).count();
  }

  @Override
  public void drop(RecordId id) throws LocalApiException, IOException {
    call(new LocalRequest.Drop(id), LocalResponse.Dropped.class);
  }

  @Override
  public Status status() throws LocalApiException, IOException {
    return call(new LocalRequest.Status(), LocalResponse.Status.class).status();
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
