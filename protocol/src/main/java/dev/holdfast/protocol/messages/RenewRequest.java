package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * A device asks for a new certificate and a new API key: a PKCS#10 CSR for its new key (signed by
 * that key: proof of possession), signed as a whole by the key it uses now, which the service
 * knows from the device's current certificate. {@code id} names the rotation: a retry carries the
 * same id and gets the same answer.
 *
 * <p>JSON: {@code {"v":1,"type":"renew","id":..,"device":..,"csr":b64 DER,"at":ISO,"sig":b64}}.
 */
public record RenewRequest(String requestId, String deviceId, byte[] csr, Instant at, byte[] signature)
    implements ProvRequest {
  static final String TYPE = "renew";
  private static final String DOMAIN = "holdfast renew-request v1";

  /** Builds the request and signs it with the device's current key. */
  public static RenewRequest signed(String requestId, String deviceId, byte[] csr, Instant at, PrivateKey currentKey,
      SecureRandom random) {
    RenewRequest unsigned = new RenewRequest(requestId, deviceId, csr, at, new byte[0]);
    return new RenewRequest(requestId, deviceId, csr, at,
        Signatures.sign(currentKey, unsigned.signedBytes(), random));
  }

  public byte[] signedBytes() {
    return Canonical.of(DOMAIN).add(requestId).add(deviceId).add(csr).add(at).toByteArray();
  }

  /** True when {@code currentKey} (the key of the device's registered certificate) made the signature. */
  public boolean signedBy(PublicKey currentKey) {
    return Signatures.verify(currentKey, signedBytes(), signature);
  }

  @Override
  public String toJson() {
    return Json.write(Json.object("v", Fields.VERSION, "type", TYPE, "id", requestId, "device", deviceId,
        "csr", Fields.base64(csr), "at", at.toString(), "sig", Fields.base64(signature)));
  }

  static RenewRequest of(Fields f) throws MessageException {
    return new RenewRequest(f.string("id"), f.string("device"), f.bytes("csr"), f.instant("at"), f.bytes("sig"));
  }

  @Override
  public String toString() {
    return "RenewRequest[" + requestId + " device " + deviceId + " at " + at + "]";
  }
}
