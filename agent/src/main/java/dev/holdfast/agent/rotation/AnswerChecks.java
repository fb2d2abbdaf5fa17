package dev.holdfast.agent.rotation;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.EnrollmentException;
import dev.holdfast.agent.identity.PendingKey;
import dev.holdfast.agent.identity.ResponseVerifier;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.RenewResponse;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Checks the service's answers before anything of them is kept, the way enrollment's answer is
 * checked ({@link ResponseVerifier}): the renew answer's chain up to the pinned root, the leaf for
 * the new key and this device, the issuing CA's signature, the sealed key opening with the new key
 * for this rotation; the confirm answer signed by the issuing CA for this rotation.
 */
final class AnswerChecks {
  static final String RENEW_ANSWER = "the rotation's renew answer";

  private AnswerChecks() {}

  /** The new credential set the answer describes. */
  static CredentialSet renewed(RenewResponse r, String requestId, CredentialSet current, PendingKey key, Instant now)
      throws EnrollmentException {
    if (!r.requestId().equals(requestId) || !r.deviceId().equals(current.deviceId())) {
      throw refused("it answers rotation " + r.requestId() + " of " + r.deviceId() + ", not " + requestId);
    }
    X509Certificate leaf = ResponseVerifier.checkChain(RENEW_ANSWER, current.deviceId(), r.chain(),
        current.fleetRoot(), key, now);
    if (!r.signedByIssuer()) {
      throw refused("its signature does not verify with the issuing CA's key");
    }
    if (!r.apiKeyExpiresAt().isAfter(now)) {
      throw refused("its API key " + r.apiKeyId() + " expired at " + r.apiKeyExpiresAt());
    }
    Secret apiKey = ResponseVerifier.openApiKey(RENEW_ANSWER, current.deviceId(), r.apiKeySealed(),
        RenewResponse.apiKeyAssociatedData(current.deviceId(), requestId), key);
    return new CredentialSet(current.deviceId(), key.privateKey(), List.of(leaf, r.chain().get(1), current.fleetRoot()),
        current.fleetRoot(), apiKey, r.apiKeyId(), r.apiKeyExpiresAt(), r.scopes(), current.commandKey(), now);
  }

  /** True when the confirm answer is the issuing CA's, for this rotation of this device. */
  static boolean confirmed(ConfirmResponse c, String requestId, CredentialSet current) {
    return c.requestId().equals(requestId) && c.deviceId().equals(current.deviceId())
        && c.signedBy(current.issuing().getPublicKey());
  }

  private static EnrollmentException refused(String what) {
    return new EnrollmentException(EnrollmentException.Reason.RESPONSE_INVALID,
        RENEW_ANSWER + " was refused: " + what + "; nothing was stored");
  }
}
