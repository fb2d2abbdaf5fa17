package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * The service's answer to a {@link ConfirmRequest}: the old certificate ({@code revokedSerial}) and
 * the old API key ({@code revokedApiKeyId}) are revoked; the device may drop them. Signed by the
 * issuing CA, which the device knows from its chain.
 *
 * <p>JSON: {@code {"v":1,"type":"confirmed","id":..,"device":..,"revoked_serial":hex,
 * "revoked_api_key_id":..,"at":ISO,"sig":b64}}.
 */
public record ConfirmResponse(String requestId, String deviceId, String revokedSerial, String revokedApiKeyId,
    Instant at, byte[] signature) implements ProvAnswer {
  static final String TYPE = "confirmed";
  private static final String DOMAIN = "holdfast rotation-confirmed v1";

  public static ConfirmResponse signed(String requestId, String deviceId, String revokedSerial, String revokedApiKeyId,
      Instant at, PrivateKey issuingKey, SecureRandom random) {
    ConfirmResponse unsigned = new ConfirmResponse(requestId, deviceId, revokedSerial, revokedApiKeyId, at, new byte[0]);
    return new ConfirmResponse(requestId, deviceId, revokedSerial, revokedApiKeyId, at,
        Signatures.sign(issuingKey, unsigned.signedBytes(), random));
  }

  public byte[] signedBytes() {
    return Canonical.of(DOMAIN).add(requestId).add(deviceId).add(revokedSerial).add(revokedApiKeyId).add(at)
        .toByteArray();
  }

  public boolean signedBy(PublicKey issuingKey) {
    return Signatures.verify(issuingKey, signedBytes(), signature);
  }

  @Override
  public String toJson() {
    return Json.write(Json.object("v", Fields.VERSION, "type", TYPE, "id", requestId, "device", deviceId,
        "revoked_serial", revokedSerial, "revoked_api_key_id", revokedApiKeyId, "at", at.toString(),
        "sig", Fields.base64(signature)));
  }

  static ConfirmResponse of(Fields f) throws MessageException {
    return new ConfirmResponse(f.string("id"), f.string("device"), f.string("revoked_serial"),
        f.string("revoked_api_key_id"), f.instant("at"), f.bytes("sig"));
  }
}
