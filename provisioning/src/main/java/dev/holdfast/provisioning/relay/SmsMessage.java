package dev.holdfast.provisioning.relay;

import java.util.regex.Pattern;

/** A validated outbound SMS; {@link #toString()} hides the number and the text. */
public record SmsMessage(String to, String body) {
  static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  static final int MAX_BODY_CHARS = 1600;

  @Override
  public String toString() {
    return "SmsMessage[to redacted, " + body.length() + " chars]";
  }
}
