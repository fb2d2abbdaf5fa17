package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * A device confirms a rotation: it holds the new certificate ({@code serial}) and its key, and has
 * connected with it. Signed by the NEW key, so only the holder of the new key can make the service
 * revoke the old credentials.
 *
 * <p>JSON: {@code {"v":1,"type":"confirm","id":..,"device":..,"serial":hex,"at":ISO,"sig":b64}}.
 */
public record ConfirmRequest(String requestId, String deviceId, String serial, Instant at, byte[] signature)
    implements ProvRequest {
  static final String TYPE = "confirm";
  private static final String DOMAIN = "holdfast rotation-confirm v1";

  /** Builds the confirm and signs it with the new key. */
  public static ConfirmRequest signed(String requestId, String deviceId, String serial, Instant at, PrivateKey newKey,
      SecureRandom random) {
    ConfirmRequest unsigned = new ConfirmRequest(requestId, deviceId, serial, at, new byte[0]);
    return new ConfirmRequest(requestId, deviceId, serial, at, Signatures.sign(newKey, unsigned.signedBytes(), random));
  }

  public byte[] signedBytes() {
    return Canonical.of(DOMAIN).add(requestId).add(deviceId).add(serial).add(at).toByteArray();
  }

  /** True when {@code newKey} (the key of the pending certificate) made the signature. */
  public boolean signedBy(PublicKey newKey) {
    return Signatures.verify(newKey, signedBytes(), signature);
  }

  @Override
  public String toJson() {
    return Json.write(Json.object("v", Fields.VERSION, "type", TYPE, "id", requestId, "device", deviceId,
        "serial", serial, "at", at.toString(), "sig", Fields.base64(signature)));
  }

  static ConfirmRequest of(Fields f) throws MessageException {
    return new ConfirmRequest(f.string("id"), f.string("device"), f.string("serial"), f.instant("at"), f.bytes("sig"));
  }
}
