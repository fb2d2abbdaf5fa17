/**
 * The device's MQTT v5 connection to the broker: connect with the device certificate, retained
 * state and last will, capped and jittered reconnects, signed commands, and the {@link
 * dev.holdfast.agent.link.Publisher} the MQTT sender publishes through. Takes its identity
 * (device id, TLS socket factory, command key) as parameters: it never reads or stores credentials,
 * and never touches the outbox's records. Its one record of its own is the set of accepted command
 * ids ({@link dev.holdfast.agent.link.VaultAcceptedIds}), kept until each command expires.
 */
package dev.holdfast.agent.link;
