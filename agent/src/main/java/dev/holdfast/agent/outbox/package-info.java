/**
 * The durable outbox: records sealed in the vault, group-committed enqueue, retry scheduling,
 * dead letters, and the dispatcher that hands due records to a {@link
 * dev.holdfast.agent.delivery.Sender} per channel. Knows nothing of HTTP or MQTT.
 */
package dev.holdfast.agent.outbox;
