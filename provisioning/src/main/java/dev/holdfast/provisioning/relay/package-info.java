/**
 * The notification relay: {@code POST /v1/messages} over HTTPS for devices, with API key and scope
 * checks, a per-key token bucket, a 24 h idempotency window kept in the registry, and forwarding to
 * a Twilio-compatible SMS API. It never logs or echoes a key, only its public id.
 */
package dev.holdfast.provisioning.relay;
