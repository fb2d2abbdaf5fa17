/**
 * The outbox's {@link dev.holdfast.agent.outbox.Sender}s: each carries one record to its
 * destination (SMS via the Holdfast relay or the Twilio API, webhooks, MQTT events through the link)
 * and classifies the result into a {@link dev.holdfast.agent.outbox.DeliveryOutcome}. Stateless
 * apart from their HTTP client; never touches the vault or the outbox's state.
 */
package dev.holdfast.agent.delivery;
