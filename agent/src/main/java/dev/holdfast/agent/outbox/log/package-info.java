/**
 * The outbox's storage: an append-only log of sealed batches in preallocated segment files, made
 * durable by one fdatasync per batch (group commit), with entries counted as held until their
 * owner lets them go; a segment whose entries are all let go is retired and its file reused.
 * Knows nothing of records, channels or delivery: the outbox gives it typed byte entries and
 * reads them back. Used only by {@code dev.holdfast.agent.outbox}. The format is in
 * docs/outbox.md ("Storage").
 */
package dev.holdfast.agent.outbox.log;
