/**
 * The vault: one MapDB file in which every record is sealed with AES-256-GCM, bound to its
 * collection and key, under a master key from a systemd credential, a key file or a passphrase.
 * Owns the file format, crash safety and key handling; knows nothing of outboxes or identities,
 * which define their own {@link dev.holdfast.vault.VaultCollection}s.
 */
package dev.holdfast.vault;
