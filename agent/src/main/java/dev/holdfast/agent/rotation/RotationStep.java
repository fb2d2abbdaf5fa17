package dev.holdfast.agent.rotation;

/**
 * Where a rotation stands; each is persisted (with what it needs to go on) before the next begins,
 * and stored by the names in {@link RotationCodec}, never by ordinal.
 */
public enum RotationStep {
  /** No rotation under way: the current set is the only one. */
  IDLE,
  /** A new key is in the vault, with the request id it will be asked for under. */
  KEY_PENDING,
  /** The renew request, signed by the current key, is in the vault: every retry sends these bytes. */
  REQUESTED,
  /** The new certificate and API key (checked) are in the vault as the pending set. */
  ISSUED,
  /** The new set is current, the old one kept as previous; the link reconnects with the new certificate. */
  SWITCHED
}
