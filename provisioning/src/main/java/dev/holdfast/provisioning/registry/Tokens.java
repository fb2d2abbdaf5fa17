package dev.holdfast.provisioning.registry;

/** Enrollment tokens (their HMACs and state), by public id. */
public interface Tokens extends Keyed<String, TokenRecord> {}
