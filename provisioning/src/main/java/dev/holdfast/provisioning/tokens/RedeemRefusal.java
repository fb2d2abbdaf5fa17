package dev.holdfast.provisioning.tokens;

/**
 * Why a token was not redeemed. The reasons are distinct so the bench can tell a typo from a token
 * that was already used (which may mean it leaked) from one that simply ran out.
 */
public enum RedeemRefusal {
  /** Not shaped like a token, or its checksum is wrong: a typo, checked offline. */
  MALFORMED,
  /** Well-formed, but no token with this id and value was ever issued. */
  UNKNOWN,
  /** Issued, never used, but its time to live is over: create a new one. */
  EXPIRED,
  /** Already redeemed once (tokens are single use): a second use may mean it leaked. */
  ALREADY_REDEEMED,
  /** Withdrawn by an operator ({@code tokens revoke}). */
  REVOKED
}
