package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * The service's answer to a {@link RenewRequest}: the new certificate chain (leaf, issuing CA,
 * root) and the new API key sealed to the new key ({@link dev.holdfast.protocol.crypto.SealedBox}
 * with {@link #apiKeyAssociatedData}, as enrollment seals it), signed by the issuing CA like an
 * {@link EnrollResponse}. Until the device confirms, its old certificate and key stay valid.
 *
 * <p>JSON: {@code {"v":1,"type":"renewed","id":..,"device":..,"chain":[b64 DER..],"api_key_id":..,
 * "api_key_sealed":b64,"api_key_expires_at":ISO,"scopes":[..],"issued_at":ISO,"sig":b64}}.
 */
public record RenewResponse(String requestId, String deviceId, List<X509Certificate> chain, String apiKeyId,
    byte[] apiKeySealed, Instant apiKeyExpiresAt, List<String> scopes, Instant issuedAt, byte[] signature)
    implements ProvAnswer {
  static final String TYPE = "renewed";
  private static final String DOMAIN = "holdfast renew-response v1";

  public RenewResponse {
    chain = List.copyOf(chain);
    scopes = List.copyOf(scopes);
  }

  /**
   * Associated data of the sealed API key: binds it to this device, this rotation and this purpose
   * (an enrollment's sealed key does not open as a rotation's, nor one rotation's as another's).
   */
  public static byte[] apiKeyAssociatedData(String deviceId, String requestId) {
    return ("holdfast renew api-key v1\0" + deviceId + "\0" + requestId).getBytes(StandardCharsets.UTF_8);
  }

  /** Builds and signs an answer with the issuing CA's key. */
  public static RenewResponse signed(String requestId, String deviceId, List<X509Certificate> chain, String apiKeyId,
      byte[] apiKeySealed, Instant apiKeyExpiresAt, List<String> scopes, Instant issuedAt, PrivateKey issuingKey,
      SecureRandom random) {
    RenewResponse unsigned = new RenewResponse(requestId, deviceId, chain, apiKeyId, apiKeySealed, apiKeyExpiresAt,
        scopes, issuedAt, new byte[0]);
    return new RenewResponse(requestId, deviceId, chain, apiKeyId, apiKeySealed, apiKeyExpiresAt, scopes, issuedAt,
        Signatures.sign(issuingKey, unsigned.signedBytes(), random));
  }

  public byte[] signedBytes() {
    return Canonical.of(DOMAIN).add(requestId).add(deviceId).addBytes(Fields.der(chain)).add(apiKeyId)
        .add(apiKeySealed).add(apiKeyExpiresAt).addStrings(scopes).add(issuedAt).toByteArray();
  }

  /** True when {@code chain[1]} (the issuing CA) signed it; check the chain against the pinned root first. */
  public boolean signedByIssuer() {
    return chain.size() >= 2 && Signatures.verify(chain.get(1).getPublicKey(), signedBytes(), signature);
  }

  @Override
  public String toJson() {
    return Json.write(Json.object("v", Fields.VERSION, "type", TYPE, "id", requestId, "device", deviceId,
        "chain", Fields.base64(chain), "api_key_id", apiKeyId, "api_key_sealed", Fields.base64(apiKeySealed),
        "api_key_expires_at", apiKeyExpiresAt.toString(), "scopes", scopes, "issued_at", issuedAt.toString(),
        "sig", Fields.base64(signature)));
  }

  static RenewResponse of(Fields f) throws MessageException {
    return new RenewResponse(f.string("id"), f.string("device"), f.certificates("chain"), f.string("api_key_id"),
        f.bytes("api_key_sealed"), f.instant("api_key_expires_at"), f.strings("scopes"), f.instant("issued_at"),
        f.bytes("sig"));
  }

  @Override
  public String toString() {
    return "RenewResponse[" + requestId + " device " + deviceId + ", api key " + apiKeyId + " (sealed), "
        + chain.size() + " certificates]";
  }
}
