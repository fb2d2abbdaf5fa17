package dev.holdfast.protocol.messages;

/**
 * A device's message on {@code holdfast/v1/devices/{id}/prov/req}: a {@link RenewRequest} (signed
 * by the key the device uses now) or a {@link ConfirmRequest} (signed by the key it was just given
 * a certificate for). The {@code "type"} field says which.
 */
public sealed interface ProvRequest permits RenewRequest, ConfirmRequest {
  /** The rotation this message belongs to: chosen by the device, the same on every retry. */
  String requestId();

  String deviceId();

  String toJson();

  /** Reads a request as it arrives over MQTT: strict UTF-8, a known {@code type}, every field. */
  static ProvRequest parse(byte[] utf8) throws MessageException {
    Fields f = Fields.parse("provisioning request", utf8);
    String type = f.string("type");
    return switch (type) {
      case RenewRequest.TYPE -> RenewRequest.of(f);
      case ConfirmRequest.TYPE -> ConfirmRequest.of(f);
      default -> throw new MessageException("provisioning request: unknown type '" + type
          + "' (expected " + RenewRequest.TYPE + " or " + ConfirmRequest.TYPE + ")");
    };
  }
}
