package dev.holdfast.provisioning.registry;

/**
 * One registry transaction: the aggregates, each a small interface of its own. A use case takes
 * only the ones it needs; what it writes through any of them commits or rolls back together.
 * Valid only inside {@link Registry#write} / {@link Registry#read}.
 */
public interface RegistryTx {
  Devices devices();

  Certificates certificates();

  ApiKeys apiKeys();

  Tokens tokens();

  IdempotencyRecords idempotency();

  AuditLog audit();

  Secrets secrets();

  BrokerReloads brokerReloads();
}
