package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.DeliverySettings;
import dev.holdfast.agent.delivery.DeliveryOutcome;
import dev.holdfast.agent.delivery.Sender;
import dev.holdfast.agent.outbox.OutboxRecord;
import dev.holdfast.vault.Vault;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/** Builds the sender for each record from the delivery settings and the vault's secrets. */
final class SenderWiring {
  private SenderWiring() {}

  static Function<OutboxRecord, Sender> build(DeliverySettings settings, Vault vault, HttpClient http, Clock clock) {
    Sender pending = r -> new DeliveryOutcome.Retry("TEMPORARY: senders not wired yet", Optional.empty());
    return r -> pending;
  }
}
