package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import java.util.Arrays;
import java.util.Optional;

/**
 * An enrollment refusal: HTTP status, a stable machine code and a sentence for a person. JSON:
 * {@code {"v":1,"error":"token_used","message":"..."}}. Each token problem has its own code so the
 * bench can tell "ask for a new token" from "this token was already used by another device".
 */
public record EnrollError(Code code, String message) {
  /** The stable codes; clients switch on these, never on the message. */
  public enum Code {
    BAD_REQUEST(400, "bad_request"),
    TOKEN_MALFORMED(400, "token_malformed"),
    TOKEN_UNKNOWN(401, "token_unknown"),
    TOKEN_EXPIRED(401, "token_expired"),
    TOKEN_REVOKED(403, "token_revoked"),
    TOKEN_USED(409, "token_used"),
    TOO_LARGE(413, "too_large"),
    CSR_REJECTED(422, "csr_rejected"),
    /** Too many attempts from the client's address; the answer carries {@code Retry-After}. */
    RATE_LIMITED(429, "rate_limited"),
    INTERNAL(500, "internal"),
    UNAVAILABLE(503, "unavailable");

    public final int status;
    public final String wire;

    Code(int status, String wire) {
      this.status = status;
      this.wire = wire;
    }

    public static Optional<Code> fromWire(String wire) {
      return Arrays.stream(values()).filter(c -> c.wire.equals(wire)).findFirst();
    }
  }

  public String toJson() {
    return Json.write(Json.object("v", Fields.VERSION, "error", code.wire, "message", message));
  }

  public static EnrollError parse(String json) throws MessageException {
    Fields f = Fields.parse("enrollment error", json);
    String wire = f.string("error");
    Code code = Code.fromWire(wire)
        .orElseThrow(() -> new MessageException("enrollment error: unknown code '" + wire + "'"));
    return new EnrollError(code, f.string("message"));
  }
}
