/**
 * The local API: newline-delimited JSON over a unix socket, for producers on the device (scripts,
 * GPIO handlers, the {@code holdfast-agent} commands). Requests and answers are typed values
 * ({@link dev.holdfast.agent.local.LocalRequest}, {@link dev.holdfast.agent.local.LocalResponse})
 * with one JSON form ({@link dev.holdfast.agent.local.LocalJson}); the commands use the outbox
 * through {@link dev.holdfast.agent.local.OutboxPort}, over the socket or in process. File
 * permissions on the socket are the access control; idle connections are closed so no client can
 * hold the others out ({@link dev.holdfast.agent.local.Connections}). Owns no state of its own.
 */
package dev.holdfast.agent.local;
