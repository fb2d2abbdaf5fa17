package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What enrollment hands the device: its id, its certificate chain (leaf, issuing CA, root), its API
 * key sealed to the CSR's public key ({@link dev.holdfast.protocol.crypto.SealedBox} with
 * {@link #apiKeyAssociatedData(String)}), the key's id, expiry and scopes, and the fleet's
 * command-signing public key. The issuing CA signs the whole response ({@link #signedBytes()}), so
 * the air-gapped file variant is as trustworthy as the HTTPS one: the device checks the chain
 * against its pinned root, then this signature with the chain's issuing certificate.
 *
 * <p>JSON: {@code {"v":1,"device":..,"chain":[b64 DER..],"api_key_id":..,"api_key_sealed":b64,
 * "api_key_expires_at":ISO,"scopes":[..],"command_key":b64 SPKI,"issued_at":ISO,"sig":b64}}.
 */
public record EnrollResponse(String deviceId, List<X509Certificate> chain, String apiKeyId, byte[] apiKeySealed,
    Instant apiKeyExpiresAt, List<String> scopes, PublicKey commandKey, Instant issuedAt, byte[] signature) {
  private static final String DOMAIN = "holdfast enroll-response v1";

  public EnrollResponse {
    chain = List.copyOf(chain);
    scopes = List.copyOf(scopes);
  }

  /** Associated data of the sealed API key: binds it to this device and this purpose. */
  public static byte[] apiKeyAssociatedData(String deviceId) {
    return ("holdfast enroll api-key v1\0" + deviceId).getBytes(StandardCharsets.UTF_8);
  }

  /** Builds and signs a response with the issuing CA's key. */
  public static EnrollResponse signed(String deviceId, List<X509Certificate> chain, String apiKeyId,
      byte[] apiKeySealed, Instant apiKeyExpiresAt, List<String> scopes, PublicKey commandKey, Instant issuedAt,
      PrivateKey issuingKey, SecureRandom random) {
    EnrollResponse unsigned = new EnrollResponse(deviceId, chain, apiKeyId, apiKeySealed, apiKeyExpiresAt, scopes,
        commandKey, issuedAt, new byte[0]);
    byte[] sig = Signatures.sign(issuingKey, unsigned.signedBytes(), random);
    return new EnrollResponse(deviceId, chain, apiKeyId, apiKeySealed, apiKeyExpiresAt, scopes, commandKey, issuedAt,
        sig);
  }

  /** Everything but the signature, canonically encoded. */
  public byte[] signedBytes() {
    return Canonical.of(DOMAIN).add(deviceId).addBytes(Fields.der(chain)).add(apiKeyId).add(apiKeySealed)
        .add(apiKeyExpiresAt).addStrings(scopes).add(commandKey.getEncoded()).add(issuedAt).toByteArray();
  }

  /**
   * True when the signature was made by the key of {@code chain[1]} (the issuing CA). Check the
   * chain against the pinned root first: this only proves who signed, not that they may.
   */
  public boolean signedByIssuer() {
    return chain.size() >= 2 && Signatures.verify(chain.get(1).getPublicKey(), signedBytes(), signature);
  }

  public String toJson() {
    return Json.write(Json.object("v", Fields.VERSION, "device", deviceId, "chain", Fields.base64(chain),
        "api_key_id", apiKeyId, "api_key_sealed", Fields.base64(apiKeySealed), "api_key_expires_at", apiKeyExpiresAt.toString(),
        "scopes", scopes, "command_key", Fields.base64(commandKey.getEncoded()), "issued_at", issuedAt.toString(),
        "sig", Fields.base64(signature)));
  }

  public static EnrollResponse parse(String json) throws MessageException {
    Fields f = Fields.parse("enrollment response", json);
    return new EnrollResponse(f.string("device"), f.certificates("chain"), f.string("api_key_id"),
        f.bytes("api_key_sealed"), f.instant("api_key_expires_at"), f.strings("scopes"), f.ecPublicKey("command_key"),
        f.instant("issued_at"), f.bytes("sig"));
  }

  @Override
  public String toString() {
    return "EnrollResponse[device " + deviceId + ", api key " + apiKeyId + " (sealed), " + chain.size()
        + " certificates]";
  }
}
