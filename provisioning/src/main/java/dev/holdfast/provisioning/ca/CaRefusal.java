package dev.holdfast.provisioning.ca;

/** Why the CA did not do what was asked; each edge maps it once (exit code, HTTP status). */
public enum CaRefusal {
  /** {@code init} was not run for this registry. */
  NOT_INITIALIZED,
  /** {@code init} was already run. */
  ALREADY_INITIALIZED,
  /** No certificate with that serial. */
  UNKNOWN_CERTIFICATE,
  /** No device with that id. */
  UNKNOWN_DEVICE,
  /** The device is revoked: it enrolls again under a new id. */
  DEVICE_REVOKED,
  /** Not a device id ({@code DeviceIds.RULE}). */
  BAD_DEVICE_ID,
  /** A lifetime beyond the policy's limit, or one that would outlive the issuing CA. */
  LIFETIME
}
