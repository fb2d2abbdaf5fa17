/**
 * The durable outbox: records sealed in the vault, group-committed enqueue, retry scheduling,
 * dead letters, and the dispatcher that hands due records to the {@link Sender} of their
 * channel. It owns the {@link Sender} and {@link DeliveryOutcome} contract that the delivery
 * package implements, so dependencies point one way. Knows nothing of HTTP or MQTT.
 */
package dev.holdfast.agent.outbox;
