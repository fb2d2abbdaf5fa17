package dev.holdfast.provisioning.ca;

/** Why a certificate signing request is not signed. */
public enum CsrRefusal {
  /** Not a DER/PEM PKCS#10 request. */
  MALFORMED,
  /** The request's signature does not verify with its own key: no proof of possession. */
  BAD_SIGNATURE,
  /** A key other than EC P-256. */
  KEY_TYPE,
  /** A signature algorithm other than ECDSA with SHA-2. */
  SIGNATURE_ALGORITHM
}
