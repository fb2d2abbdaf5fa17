package dev.holdfast.agent.identity;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;

/**
 * A device key generated for a certificate that has not arrived yet (enrollment, later rotation).
 * It is in the vault before its CSR leaves the device, so a request and its response may be
 * handled by two different processes (the air-gapped bench). {@link #toString()} hides the key.
 */
public record PendingKey(PrivateKey privateKey, PublicKey publicKey, Instant createdAt) {
  public KeyPair keyPair() {
    return new KeyPair(publicKey, privateKey);
  }

  @Override
  public String toString() {
    return "PendingKey[created " + createdAt + ", private key redacted]";
  }
}
