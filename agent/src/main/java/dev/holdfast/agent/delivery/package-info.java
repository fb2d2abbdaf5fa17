/**
 * Senders that carry one outbox record to its destination (SMS via the Holdfast relay or the
 * Twilio API, webhooks; MQTT comes with the link) and classify the result into a {@link
 * dev.holdfast.agent.delivery.DeliveryOutcome}. Stateless apart from their HTTP client; never
 * touches the vault or the outbox.
 */
package dev.holdfast.agent.delivery;
