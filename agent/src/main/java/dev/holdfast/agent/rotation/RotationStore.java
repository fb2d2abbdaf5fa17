package dev.holdfast.agent.rotation;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.identity.PendingKey;
import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.vault.Codec;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultCollection;
import dev.holdfast.vault.VaultException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

/**
 * The rotation's steps as vault transactions: each writes the step's material and the record that
 * names the step together, so after a crash the vault holds one step or the next, never half of
 * one. The current set is replaced only by {@link #switched} (new current, old kept as previous)
 * and {@link #fellBack} (previous current again): a device always has a current set.
 */
public final class RotationStore {
  static final VaultCollection<String, RotationRecord> ROTATION =
      VaultCollection.hidden("rotation", Codec.UTF8, RotationCodec.RECORD);
  static final String STATE = "state";

  private final Vault vault;

  public RotationStore(Vault vault) {
    this.vault = vault;
  }

  public RotationRecord record() throws VaultException {
    return vault.get(ROTATION, STATE).orElse(RotationRecord.idle());
  }

  public Optional<CredentialSet> current() throws VaultException {
    return vault.get(IdentityStore.SETS, IdentityStore.CURRENT);
  }

  Optional<CredentialSet> pending() throws VaultException {
    return vault.get(IdentityStore.SETS, IdentityStore.PENDING_SET);
  }

  Optional<CredentialSet> previous() throws VaultException {
    return vault.get(IdentityStore.SETS, IdentityStore.PREVIOUS);
  }

  Optional<PendingKey> newKey() throws VaultException {
    return vault.get(IdentityStore.KEYS, IdentityStore.ROTATION_KEY);
  }

  /** IDLE to KEY_PENDING: a new key and the request id it will be asked for under. */
  PendingKey began(RotationRecord from, String requestId, SecureRandom random, Instant now) throws VaultException {
    KeyPair pair = P256.generate(random);
    PendingKey key = new PendingKey(pair.getPrivate(), pair.getPublic(), now);
    vault.write(tx -> {
      tx.put(IdentityStore.KEYS, IdentityStore.ROTATION_KEY, key);
      tx.put(ROTATION, STATE, from.started(requestId));
      return null;
    });
    return key;
  }

  /** KEY_PENDING to REQUESTED: the signed request, sent as it is on every retry. */
  void requested(RotationRecord from, String json) throws VaultException {
    put(from.requested(json));
  }

  /** REQUESTED to ISSUED: the checked new set, pending. */
  void issued(RotationRecord from, CredentialSet set) throws VaultException {
    vault.write(tx -> {
      tx.put(IdentityStore.SETS, IdentityStore.PENDING_SET, set);
      tx.put(ROTATION, STATE, from.at(RotationStep.ISSUED));
      return null;
    });
  }

  /** ISSUED to SWITCHED: the new set current, the old one previous, the new key's spare copy dropped. */
  void switched(RotationRecord from) throws VaultException {
    CredentialSet old = current().orElseThrow(() -> new IllegalStateException("no current set to rotate"));
    CredentialSet fresh = pending().orElseThrow(() -> new IllegalStateException("no pending set to switch to"));
    vault.write(tx -> {
      tx.put(IdentityStore.SETS, IdentityStore.PREVIOUS, old);
      tx.put(IdentityStore.SETS, IdentityStore.CURRENT, fresh);
      tx.remove(IdentityStore.SETS, IdentityStore.PENDING_SET);
      tx.remove(IdentityStore.KEYS, IdentityStore.ROTATION_KEY);
      tx.put(ROTATION, STATE, from.at(RotationStep.SWITCHED));
      return null;
    });
  }

  /** SWITCHED to IDLE: the service confirmed; the old material is dropped. */
  void confirmed(RotationRecord from, String result, Instant at) throws VaultException {
    vault.write(tx -> {
      tx.remove(IdentityStore.SETS, IdentityStore.PREVIOUS);
      tx.put(ROTATION, STATE, from.ended(result, at, Optional.empty(), 0));
      return null;
    });
  }

  /**
   * Any step to IDLE without the rotation: the previous set current again (if the switch had
   * happened), everything new dropped, automatic attempts held off until {@code next}.
   */
  void fellBack(RotationRecord from, String result, Instant at, Instant next) throws VaultException {
    Optional<CredentialSet> previous = previous();
    vault.write(tx -> {
      if (previous.isPresent()) {
        tx.put(IdentityStore.SETS, IdentityStore.CURRENT, previous.get());
        tx.remove(IdentityStore.SETS, IdentityStore.PREVIOUS);
      }
      tx.remove(IdentityStore.SETS, IdentityStore.PENDING_SET);
      tx.remove(IdentityStore.KEYS, IdentityStore.ROTATION_KEY);
      tx.put(ROTATION, STATE, from.ended(result, at, Optional.of(next), from.failures() + 1));
      return null;
    });
  }

  /** A step's attempt failed; it is tried again from {@code next}. */
  void attemptFailed(RotationRecord from, Instant next) throws VaultException {
    put(from.failedAttempt(next));
  }

  private void put(RotationRecord r) throws VaultException {
    vault.write(tx -> {
      tx.put(ROTATION, STATE, r);
      return null;
    });
  }
}
