package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

/**
 * An operator command on {@code holdfast/v1/devices/{id}/cmd}, signed by the fleet's
 * command-signing key. A device acts on it only when {@link #check} passes: signature, its own
 * device id, not expired, not issued in the future beyond the allowed skew; replay (an id seen
 * before) is the receiver's check, since only it knows what it has seen.
 *
 * <p>JSON: {@code {"v":1,"id":..,"device":..,"type":"ping","issued_at":ISO,"expires_at":ISO,"sig":b64}}.
 */
public record Command(String id, String deviceId, String type, Instant issuedAt, Instant expiresAt,
    byte[] signature) {
  private static final String DOMAIN = "holdfast command v1";
  public static final String PING = "ping";
  /** Start a credential rotation now (docs/rotation.md). */
  public static final String ROTATE = "rotate";

  public static Command signed(String id, String deviceId, String type, Instant issuedAt, Instant expiresAt,
      PrivateKey commandKey, SecureRandom random) {
    Command unsigned = new Command(id, deviceId, type, issuedAt, expiresAt, new byte[0]);
    return new Command(id, deviceId, type, issuedAt, expiresAt,
        Signatures.sign(commandKey, unsigned.signedBytes(), random));
  }

  public byte[] signedBytes() {
    return Canonical.of(DOMAIN).add(id).add(deviceId).add(type).add(issuedAt).add(expiresAt).toByteArray();
  }

  /**
   * Why this command must not be acted on by {@code receiver} at {@code now}, or empty when it may.
   *
   * @param skew how far in the future {@code issuedAt} may lie (clocks on devices drift)
   */
  public Optional<String> check(PublicKey commandKey, String receiver, Instant now, java.time.Duration skew) {
    if (!Signatures.verify(commandKey, signedBytes(), signature)) {
      return Optional.of("bad signature");
    }
    if (!deviceId.equals(receiver)) {
      return Optional.of("addressed to " + deviceId);
    }
    if (!now.isBefore(expiresAt)) {
      return Optional.of("expired at " + expiresAt);
    }
    if (issuedAt.isAfter(now.plus(skew))) {
      return Optional.of("issued in the future (" + issuedAt + ")");
    }
    return Optional.empty();
  }

  public String toJson() {
    return Json.write(Json.object("v", Fields.VERSION, "id", id, "device", deviceId, "type", type,
        "issued_at", issuedAt.toString(), "expires_at", expiresAt.toString(), "sig", Fields.base64(signature)));
  }

  public static Command parse(String json) throws MessageException {
    return of(Fields.parse("command", json));
  }

  /** A command payload as it arrives over MQTT: strict UTF-8. */
  public static Command parse(byte[] utf8) throws MessageException {
    return of(Fields.parse("command", utf8));
  }

  private static Command of(Fields f) throws MessageException {
    return new Command(f.string("id"), f.string("device"), f.string("type"), f.instant("issued_at"),
        f.instant("expires_at"), f.bytes("sig"));
  }
}
