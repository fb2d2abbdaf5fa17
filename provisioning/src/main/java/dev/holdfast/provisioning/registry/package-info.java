/**
 * The fleet's records: devices, certificates, API keys, enrollment tokens, idempotency records,
 * rotation state, audit events and the named secrets (CA keys, pepper). {@link
 * dev.holdfast.provisioning.registry.Registry} is the seam; {@link
 * dev.holdfast.provisioning.registry.MapDbRegistry} keeps everything sealed in one vault file.
 * It stores and returns records; it makes no policy decisions.
 */
package dev.holdfast.provisioning.registry;
