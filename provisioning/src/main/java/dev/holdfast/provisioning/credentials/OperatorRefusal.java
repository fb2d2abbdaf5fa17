package dev.holdfast.provisioning.credentials;

/** Why an operator was not added or removed. */
public enum OperatorRefusal {
  /** The operator has a certificate that is neither revoked nor expired. */
  EXISTS,
  /** No operator of that name with a certificate to revoke. */
  UNKNOWN_OPERATOR,
  /** A lifetime beyond the policy or the issuing CA. */
  LIFETIME
}
