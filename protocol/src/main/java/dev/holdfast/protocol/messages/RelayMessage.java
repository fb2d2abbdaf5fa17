package dev.holdfast.protocol.messages;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.json.JsonParser;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One SMS as it travels to the relay ({@code POST /v1/messages}) and from the relay to a webhook
 * upstream: {@code {"to": "+15551234567", "body": "Door opened"}}. The agent writes it, the relay
 * parses it with every refusal naming its field, and forwards it. {@link #toString()} hides both.
 */
public record RelayMessage(String to, String body) {
  /** The longest body the relay forwards (Twilio's limit for one message). */
  public static final int MAX_BODY_CHARS = 1600;
  private static final Set<String> FIELDS = Set.of("to", "body");

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("to", to);
    m.put("body", body);
    return Json.write(m);
  }

  /** @throws MessageException whose {@link MessageException#field()} names the field at fault */
  public static RelayMessage parse(byte[] raw) throws MessageException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      throw MessageException.ofField("(body)", "the request body is not UTF-8");
    }
    Object parsed;
    try {
      parsed = JsonParser.parse(text);
    } catch (JsonParser.JsonException e) {
      throw MessageException.ofField("(body)", "the request body is not valid JSON: " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> m)) {
      throw MessageException.ofField("(body)", "the request body must be a JSON object with \"to\" and \"body\"");
    }
    for (Object name : m.keySet()) {
      if (!FIELDS.contains(name)) {
        throw MessageException.ofField(name.toString(), "unknown field \"" + name + "\"; allowed: to, body");
      }
    }
    if (!(m.get("to") instanceof String to)) {
      throw MessageException.ofField("to",
          "\"to\" is required: a phone number in E.164 form, e.g. " + PhoneNumbers.EXAMPLE);
    }
    if (!PhoneNumbers.isE164(to)) {
      throw MessageException.ofField("to",
          "\"to\" must be an E.164 phone number (+ and 7-15 digits), e.g. " + PhoneNumbers.EXAMPLE);
    }
    if (!(m.get("body") instanceof String body) || body.isBlank()) {
      throw MessageException.ofField("body", "\"body\" is required: the message text, a non-empty string");
    }
    if (body.length() > MAX_BODY_CHARS) {
      throw MessageException.ofField("body", "\"body\" is longer than " + MAX_BODY_CHARS + " characters");
    }
    return new RelayMessage(to, body);
  }

  @Override
  public String toString() {
    return "RelayMessage[to redacted, " + body.length() + " chars]";
  }
}
