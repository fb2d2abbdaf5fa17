package dev.holdfast.protocol.crypto;

import java.security.GeneralSecurityException;

/** Sealed bytes did not authenticate: wrong key, wrong associated data, or tampered bytes. */
public final class AuthenticationFailedException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public AuthenticationFailedException(String message) {
    super(message);
  }
}
