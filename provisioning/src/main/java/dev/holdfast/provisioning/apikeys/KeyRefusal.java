package dev.holdfast.provisioning.apikeys;

/** Why an API key was not created or revoked. */
public enum KeyRefusal {
  /** No key with that id. */
  UNKNOWN_KEY,
  /** No active device with that id. */
  UNKNOWN_DEVICE,
  /** No scope, or one that does not exist. */
  SCOPE,
  /** A lifetime of zero or less. */
  LIFETIME
}
