/**
 * The local API: newline-delimited JSON over a unix socket, for producers on the device (scripts,
 * GPIO handlers, the {@code holdfast-agent send} client). File permissions on the socket are the
 * access control. Translates requests into outbox operations; owns no state of its own.
 */
package dev.holdfast.agent.local;
