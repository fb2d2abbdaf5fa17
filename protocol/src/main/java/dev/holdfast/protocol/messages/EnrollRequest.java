package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /v1/enroll} body (or the air-gapped request file): the one-time token and the
 * device's PKCS#10 CSR (DER). JSON: {@code {"v":1,"token":"hfe_...","csr":"<base64 DER>"}}.
 * The token is a secret: {@link #toString()} never shows it.
 */
public record EnrollRequest(Secret token, byte[] csr) {
  public static final String CONTENT_TYPE = "application/json";
  /** Requests larger than this are refused before parsing. */
  public static final int MAX_BYTES = 16 * 1024;

  public String toJson() {
    return Json.write(Json.object("v", Fields.VERSION,
        "token", new String(token.bytes(), StandardCharsets.UTF_8), "csr", Fields.base64(csr)));
  }

  public static EnrollRequest parse(String json) throws MessageException {
    return of(Fields.parse("enrollment request", json));
  }

  /** A request body as it arrives over HTTP (or from a file): strict UTF-8. */
  public static EnrollRequest parse(byte[] utf8) throws MessageException {
    return of(Fields.parse("enrollment request", utf8));
  }

  private static EnrollRequest of(Fields f) throws MessageException {
    return new EnrollRequest(Secret.wrap(f.string("token").getBytes(StandardCharsets.UTF_8)), f.bytes("csr"));
  }

  /** The token as text, for the one place that checks it. */
  public String tokenText() {
    return new String(token.bytes(), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "EnrollRequest[token redacted, csr " + csr.length + " bytes]";
  }
}
