/**
 * The device's identity: its credential set (key, certificate chain, pinned roots, API key) in the
 * vault, the TLS contexts built from it, and enrollment (CSR out, verified response in). It reads
 * and writes only its own vault collections ({@code identity}, {@code identity-keys}) and never
 * touches the outbox, delivery or the MQTT link.
 */
package dev.holdfast.agent.identity;
