package dev.holdfast.provisioning.registry;

/** The relay's idempotency records, by API key id and {@code Idempotency-Key}. */
public interface IdempotencyRecords extends Keyed<IdempotencyRecord.Key, IdempotencyRecord> {}
