package dev.holdfast.agent.local;

import dev.holdfast.agent.config.WebhookUrls;
import dev.holdfast.agent.identity.IdentityStatus;
import dev.holdfast.agent.local.Views.RecordDetail;
import dev.holdfast.agent.local.Views.RecordSummary;
import dev.holdfast.agent.local.Views.StatusReport;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.OutboxException;
import dev.holdfast.agent.outbox.OutboxStatus;
import dev.holdfast.agent.outbox.RecordId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The outbox of this process, through its public operations: what the socket's server answers with,
 * and what the command line uses when no agent runs. It owns neither the outbox nor the vault.
 */
public final class InProcessOutboxPort implements OutboxPort {
  private final Outbox outbox;
  private final Supplier<IdentityStatus> identity;
  private final WebhookUrls webhooks;
  private final Function<OutboxStatus, Map<String, Object>> runtime;

  /** A port that queues webhooks for any URL; see the next constructor. */
  public InProcessOutboxPort(Outbox outbox, Supplier<IdentityStatus> identity) {
    this(outbox, identity, WebhookUrls.ANY);
  }

  /**
   * @param identity what {@code status} shows of the device identity (ids and dates, never keys)
   * @param webhooks {@code webhook.allowed-urls}: a webhook for another URL is refused at {@code send}
   */
  public InProcessOutboxPort(Outbox outbox, Supplier<IdentityStatus> identity, WebhookUrls webhooks) {
    this(outbox, identity, webhooks, status -> Map.of());
  }

  /**
   * @param runtime what a running agent adds to {@code status} (its link, health, attempts), made
   *     from the outbox status the answer carries
   */
  public InProcessOutboxPort(Outbox outbox, Supplier<IdentityStatus> identity, WebhookUrls webhooks,
      Function<OutboxStatus, Map<String, Object>> runtime) {
    this.outbox = outbox;
    this.identity = identity;
    this.webhooks = webhooks;
    this.runtime = runtime;
  }

  @Override
  public RecordId send(NewMessage message) throws LocalApiException {
    if (message.channel() == Channel.WEBHOOK && !webhooks.permits(message.destination())) {
      throw new LocalApiException(LocalError.INVALID, "'url' is not under any prefix of webhook.allowed-urls in the"
          + " agent's configuration; the agent sends (and signs) webhooks only to those");
    }
    try {
      return outbox.enqueue(message);
    } catch (OutboxException e) {
      throw refused(e);
    }
  }

  @Override
  public LocalResponse.Listed list(LocalRequest.ListRecords page) {
    List<dev.holdfast.agent.outbox.RecordSummary> got = outbox.list(page.dead(), page.after(), page.limit() + 1);
    return new LocalResponse.Listed(got.stream().limit(page.limit()).map(RecordSummary::of).toList(),
        got.size() > page.limit());
  }

  @Override
  public RecordDetail show(RecordId id) throws LocalApiException {
    try {
      return outbox.find(id).map(RecordDetail::of).orElseThrow(() -> new LocalApiException(LocalError.NOT_FOUND,
          "no outbox record " + id + " (see 'holdfast-agent outbox list' and 'outbox list --dead')"));
    } catch (OutboxException e) {
      throw refused(e);
    }
  }

  @Override
  public void retry(RecordId id) throws LocalApiException {
    try {
      outbox.retry(id);
    } catch (OutboxException e) {
      throw refused(e);
    }
  }

  @Override
  public int retryAllDead() throws LocalApiException {
    try {
      return outbox.retryAllDead();
    } catch (OutboxException e) {
      throw refused(e);
    }
  }

  @Override
  public void drop(RecordId id) throws LocalApiException {
    try {
      outbox.drop(id);
    } catch (OutboxException e) {
      throw refused(e);
    }
  }

  @Override
  public Status status() {
    OutboxStatus now = outbox.status();
    return new Status(StatusReport.of(now), identity.get(), runtime.apply(now));
  }

  private static LocalApiException refused(OutboxException e) {
    return new LocalApiException(LocalError.of(e.reason()), e.getMessage());
  }

  @Override
  public void close() {
    // the outbox and its vault belong to whoever made this port
  }
}
