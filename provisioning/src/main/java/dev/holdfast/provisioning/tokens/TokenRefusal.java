package dev.holdfast.provisioning.tokens;

/** Why tokens were not created or revoked. */
public enum TokenRefusal {
  /** A count or a time to live outside the limits. */
  LIMITS,
  /** No token with that id. */
  UNKNOWN_TOKEN,
  /** The token was redeemed: revoke the device instead. */
  ALREADY_REDEEMED
}
