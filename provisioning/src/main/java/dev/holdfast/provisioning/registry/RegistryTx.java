package dev.holdfast.provisioning.registry;

import dev.holdfast.protocol.crypto.Secret;
import java.util.List;
import java.util.Optional;

/** The operations of one registry transaction; valid only inside {@link Registry#write}/{@link Registry#read}. */
public interface RegistryTx {
  Optional<Device> device(String id) throws RegistryException;

  List<Device> devices() throws RegistryException;

  void put(Device device);

  /** @param serial lower-case hex, no leading zeros */
  Optional<CertificateRecord> certificate(String serial) throws RegistryException;

  List<CertificateRecord> certificates() throws RegistryException;

  void put(CertificateRecord certificate);

  Optional<ApiKeyRecord> apiKey(String id) throws RegistryException;

  List<ApiKeyRecord> apiKeys() throws RegistryException;

  void put(ApiKeyRecord key);

  Optional<TokenRecord> token(String id) throws RegistryException;

  List<TokenRecord> tokens() throws RegistryException;

  void put(TokenRecord token);

  Optional<IdempotencyRecord> idempotency(String keyId, String idempotencyKey) throws RegistryException;

  List<IdempotencyRecord> idempotencyRecords() throws RegistryException;

  void put(IdempotencyRecord record);

  void removeIdempotency(String keyId, String idempotencyKey);

  /** Appends an event; events come back in the order they were appended. */
  void append(AuditEvent event) throws RegistryException;

  List<AuditEvent> auditEvents() throws RegistryException;

  /** Increments and returns a named counter (first value 1), e.g. the CRL number. */
  long nextCounter(String name) throws RegistryException;

  Optional<Secret> secret(String name) throws RegistryException;

  void putSecret(String name, Secret value);
}
