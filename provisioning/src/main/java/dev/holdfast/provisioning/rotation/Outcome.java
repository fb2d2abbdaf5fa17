package dev.holdfast.provisioning.rotation;

import dev.holdfast.protocol.messages.ProvAnswer;
import java.security.cert.X509CRL;
import java.util.Optional;

/**
 * What a rotation request came to: the answer for the device, and a CRL to publish (after the
 * transaction committed, before the answer is sent) when certificates were revoked.
 */
record Outcome(ProvAnswer answer, Optional<X509CRL> crl) {
  static Outcome answer(ProvAnswer answer) {
    return new Outcome(answer, Optional.empty());
  }
}
