package dev.holdfast.provisioning.ca;

/** A certificate signing request the CA will not sign; the message says why and what to send instead. */
public final class CsrRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the CSR was refused. */
  public enum Reason {
    /** Not a DER/PEM PKCS#10 request. */
    MALFORMED,
    /** The request's signature does not verify with its own key: no proof of possession. */
    BAD_SIGNATURE,
    /** A key other than EC P-256. */
    KEY_TYPE,
    /** A signature algorithm other than ECDSA with SHA-2. */
    SIGNATURE_ALGORITHM
  }

  private final Reason reason;

  public CsrRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
