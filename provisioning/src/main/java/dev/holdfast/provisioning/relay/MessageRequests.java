package dev.holdfast.provisioning.relay;

import dev.holdfast.protocol.json.JsonParser;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;

/** Validates a {@code POST /v1/messages} body; every refusal names the field. */
final class MessageRequests {
  private static final Set<String> FIELDS = Set.of("to", "body");

  private MessageRequests() {}

  /** A refusal: which field, and why. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    private final String field;

    Invalid(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }

    String field() {
      return field;
    }
  }

  static SmsMessage parse(byte[] raw) throws Invalid {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      throw new Invalid("(body)", "the request body is not UTF-8");
    }
    Object parsed;
    try {
      parsed = JsonParser.parse(text);
    } catch (JsonParser.JsonException e) {
      throw new Invalid("(body)", "the request body is not valid JSON: " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> m)) {
      throw new Invalid("(body)", "the request body must be a JSON object with \"to\" and \"body\"");
    }
    for (Object name : m.keySet()) {
      if (!FIELDS.contains(name)) {
        throw new Invalid(name.toString(), "unknown field \"" + name + "\"; allowed: to, body");
      }
    }
    if (!(m.get("to") instanceof String to)) {
      throw new Invalid("to", "\"to\" is required: a phone number in E.164 form, e.g. +15551234567");
    }
    if (!SmsMessage.E164.matcher(to).matches()) {
      throw new Invalid("to", "\"to\" must be an E.164 phone number (+ and 7-15 digits), e.g. +15551234567");
    }
    if (!(m.get("body") instanceof String body) || body.isBlank()) {
      throw new Invalid("body", "\"body\" is required: the message text, a non-empty string");
    }
    if (body.length() > SmsMessage.MAX_BODY_CHARS) {
      throw new Invalid("body", "\"body\" is longer than " + SmsMessage.MAX_BODY_CHARS + " characters");
    }
    return new SmsMessage(to, body);
  }

  /** SHA-256 over the canonical content, so "same body" ignores whitespace and field order. */
  static byte[] fingerprint(SmsMessage m) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(m.to().getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(m.body().getBytes(StandardCharsets.UTF_8));
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
