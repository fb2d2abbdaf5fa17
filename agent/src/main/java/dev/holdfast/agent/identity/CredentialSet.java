package dev.holdfast.agent.identity;

import dev.holdfast.protocol.crypto.Secret;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the device proves itself with, as enrollment (later rotation) stored it in the vault:
 * its EC P-256 private key (generated on the device, never sent anywhere), its certificate chain
 * (leaf, issuing CA, root), the pinned fleet root, its API key for the relay with the key's id,
 * expiry and scopes, and the fleet's command-signing public key. {@link #toString()} shows ids and
 * dates only, never the private key or the API key.
 *
 * <p>Each read from the vault yields a fresh instance: a caller may {@link Secret#destroy()} the
 * API key it got without affecting anyone else.
 *
 * @param deviceId the certificate's CN, also the MQTT user name and client id
 * @param chain leaf first, then the issuing CA, then the root
 * @param fleetRoot the root this device trusts for the broker and the provisioning server
 * @param enrolledAt when this set was stored (the injected clock's time)
 */
public record CredentialSet(String deviceId, PrivateKey privateKey, List<X509Certificate> chain,
    X509Certificate fleetRoot, Secret apiKey, String apiKeyId, Instant apiKeyExpiresAt, List<String> scopes,
    PublicKey commandKey, Instant enrolledAt) {

  public CredentialSet {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(fleetRoot, "fleetRoot");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(apiKeyExpiresAt, "apiKeyExpiresAt");
    Objects.requireNonNull(commandKey, "commandKey");
    Objects.requireNonNull(enrolledAt, "enrolledAt");
    chain = List.copyOf(chain);
    scopes = List.copyOf(scopes);
    if (chain.size() < 2) {
      throw new IllegalArgumentException("a credential set needs at least the leaf and the issuing CA certificate");
    }
  }

  /** The device's own certificate. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** The CA that issued the leaf. */
  public X509Certificate issuing() {
    return chain.get(1);
  }

  /** When the device certificate stops being valid: rotate well before. */
  public Instant certificateNotAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /** Whether the device certificate has expired by {@code now}: the broker refuses it then. */
  public boolean certificateExpiredAt(Instant now) {
    return !now.isBefore(certificateNotAfter());
  }

  /** The device's public key, as in its certificate. */
  public PublicKey publicKey() {
    return leaf().getPublicKey();
  }

  @Override
  public String toString() {
    return "CredentialSet[device " + deviceId + ", certificate until " + certificateNotAfter() + ", api key "
        + apiKeyId + " until " + apiKeyExpiresAt + ", private key and api key redacted]";
  }
}
