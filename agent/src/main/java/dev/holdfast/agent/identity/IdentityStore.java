package dev.holdfast.agent.identity;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * The identity records of the vault. Collection {@code identity} holds credential sets by role:
 * {@code current} (and, once rotation exists, {@code pending} and {@code previous}); collection
 * {@code identity-keys} holds a device key whose certificate has not arrived yet under {@code
 * pending}. A credential set is always written whole in one transaction, together with the
 * removal of the pending key it was made from, so the vault never holds half a set.
 */
public final class IdentityStore {
  /** Role of the set the agent uses now. */
  public static final String CURRENT = "current";
  /** Role of a key generated for a certificate not yet received. */
  public static final String PENDING = "pending";
  /** During a rotation: the set issued for the new key, not yet in use. */
  public static final String PENDING_SET = "pending";
  /** During a rotation: the set replaced by the new one, kept until the service confirms. */
  public static final String PREVIOUS = "previous";

  /** The credential sets by role; a rotation writes them in its own transactions ({@code rotation}). */
  public static final VaultCollection<String, CredentialSet> SETS =
      VaultCollection.hidden("identity", Codec.UTF8, IdentityCodecs.CREDENTIAL_SET);
  /** Role (in {@link #KEYS}) of the new key a rotation asks a certificate for. */
  public static final String ROTATION_KEY = "rotation";

  /** Device keys waiting for their certificate, by role ({@link #PENDING}, {@link #ROTATION_KEY}). */
  public static final VaultCollection<String, PendingKey> KEYS =
      VaultCollection.hidden("identity-keys", Codec.UTF8, IdentityCodecs.PENDING_KEY);

  private final Vault vault;

  public IdentityStore(Vault vault) {
    this.vault = vault;
  }

  /** The credential set in use, if the device is enrolled. */
  public Optional<CredentialSet> current() throws VaultException {
    return vault.get(SETS, CURRENT);
  }

  /** The set in {@code role} ({@link #PENDING_SET}, {@link #PREVIOUS}), if any. */
  public Optional<CredentialSet> set(String role) throws VaultException {
    return vault.get(SETS, role);
  }

  /** The key waiting for its certificate, if any. */
  public Optional<PendingKey> pendingKey() throws VaultException {
    return vault.get(KEYS, PENDING);
  }

  /**
   * The pending key if there is one (it never left the device, so reusing it is safe and keeps an
   * earlier air-gapped request answerable), else a new EC P-256 key pair from {@code random},
   * committed to the vault before this returns.
   */
  public PendingKey pendingKeyOrCreate(SecureRandom random, Clock clock) throws VaultException {
    Optional<PendingKey> existing = pendingKey();
    if (existing.isPresent()) {
      return existing.get();
    }
    KeyPair pair = P256.generate(random);
    PendingKey key = new PendingKey(pair.getPrivate(), pair.getPublic(), clock.instant());
    vault.write(tx -> {
      tx.put(KEYS, PENDING, key);
      return null;
    });
    return key;
  }

  /**
   * Stores {@code set} as the current credential set and drops the pending key, in one
   * transaction: after a crash the vault holds either the old state or all of the new one.
   */
  public void storeCurrent(CredentialSet set) throws VaultException {
    vault.write(tx -> {
      tx.put(SETS, CURRENT, set);
      tx.remove(KEYS, PENDING);
      return null;
    });
  }

}
