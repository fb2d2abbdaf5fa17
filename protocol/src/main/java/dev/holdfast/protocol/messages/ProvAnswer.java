package dev.holdfast.protocol.messages;

/**
 * The service's answer on {@code holdfast/v1/devices/{id}/prov/res}: a {@link RenewResponse}, a
 * {@link ConfirmResponse} or a {@link ProvError}. The {@code "type"} field says which.
 */
public sealed interface ProvAnswer permits RenewResponse, ConfirmResponse, ProvError {
  String toJson();

  /** Reads an answer as it arrives over MQTT: strict UTF-8, a known {@code type}, every field. */
  static ProvAnswer parse(byte[] utf8) throws MessageException {
    Fields f = Fields.parse("provisioning answer", utf8);
    String type = f.string("type");
    return switch (type) {
      case RenewResponse.TYPE -> RenewResponse.of(f);
      case ConfirmResponse.TYPE -> ConfirmResponse.of(f);
      case ProvError.TYPE -> ProvError.of(f);
      default -> throw new MessageException("provisioning answer: unknown type '" + type + "'");
    };
  }
}
