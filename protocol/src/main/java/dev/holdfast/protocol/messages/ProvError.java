package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import java.util.Arrays;
import java.util.Optional;

/**
 * A refusal on {@code prov/res}: a stable code, a sentence for a person, and the request's id when
 * it could be read. JSON: {@code {"v":1,"type":"error","id":..,"error":"bad_signature","message":..}}.
 */
public record ProvError(Code code, String message, Optional<String> requestId) implements ProvAnswer {
  static final String TYPE = "error";

  /** The stable codes; devices switch on these, never on the message. */
  public enum Code {
    /** Not JSON, a field missing or malformed, or a device id that is not the topic's. */
    BAD_REQUEST("bad_request", false),
    /** The signature is not the registered key's (renew) or the pending key's (confirm). */
    BAD_SIGNATURE("bad_signature", false),
    /** The request's time is too far from the service's: a stale capture, or a clock far off. */
    STALE("stale", false),
    /** The service does not know the device. */
    UNKNOWN_DEVICE("unknown_device", false),
    /** The device is revoked: it gets nothing, ever. */
    DEVICE_REVOKED("device_revoked", false),
    /** The CSR breaks policy (key type, proof of possession, the key in use now). */
    CSR_REJECTED("csr_rejected", false),
    /**
     * A recovery ({@code POST /v1/recover}) signed by a certificate that expired longer ago than the
     * service's recovery window: the device needs a new enrollment token.
     */
    RECOVERY_CLOSED("recovery_closed", false),
    /** A confirm for a rotation the service has no record of. */
    NO_ROTATION("no_rotation", false),
    /** This service does not serve that request. */
    UNSUPPORTED("unsupported", false),
    /** A fault on the service side; retry later. */
    INTERNAL("internal", true),
    /** The service cannot write its registry now; retry later. */
    UNAVAILABLE("unavailable", true);

    public final String wire;
    /** Whether asking again later, unchanged, can succeed. */
    public final boolean retryable;

    Code(String wire, boolean retryable) {
      this.wire = wire;
      this.retryable = retryable;
    }

    public static Optional<Code> fromWire(String wire) {
      return Arrays.stream(values()).filter(c -> c.wire.equals(wire)).findFirst();
    }
  }

  @Override
  public String toJson() {
    return Json.write(Json.object("v", Fields.VERSION, "type", TYPE, "id", requestId.orElse(null), "error", code.wire,
        "message", message));
  }

  static ProvError of(Fields f) throws MessageException {
    String wire = f.string("error");
    Code code = Code.fromWire(wire)
        .orElseThrow(() -> new MessageException("provisioning error: unknown code '" + wire + "'"));
    return new ProvError(code, f.string("message"), f.has("id") ? Optional.of(f.string("id")) : Optional.empty());
  }
}
