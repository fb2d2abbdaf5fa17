package dev.holdfast.provisioning.rotation;

import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.provisioning.ca.FleetCa;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** Signs rotation answers with the issuing CA's key ({@code ca.FleetCa} implements both). */
public interface AnswerSigner {
  RenewResponse renewed(String requestId, String deviceId, List<X509Certificate> chain, String apiKeyId,
      byte[] apiKeySealed, Instant apiKeyExpiresAt, List<String> scopes, Instant issuedAt);

  ConfirmResponse confirmed(String requestId, String deviceId, String revokedSerial, String revokedApiKeyId,
      Instant at);

  /** The fleet CA's issuing key signs. */
  static AnswerSigner of(FleetCa fleet) {
    return new AnswerSigner() {
      @Override
      public RenewResponse renewed(String requestId, String deviceId, List<X509Certificate> chain, String apiKeyId,
          byte[] apiKeySealed, Instant apiKeyExpiresAt, List<String> scopes, Instant issuedAt) {
        return fleet.signRenewResponse(requestId, deviceId, chain, apiKeyId, apiKeySealed, apiKeyExpiresAt, scopes,
            issuedAt);
      }

      @Override
      public ConfirmResponse confirmed(String requestId, String deviceId, String revokedSerial,
          String revokedApiKeyId, Instant at) {
        return fleet.signConfirmResponse(requestId, deviceId, revokedSerial, revokedApiKeyId, at);
      }
    };
  }
}
