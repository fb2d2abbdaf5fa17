package dev.holdfast.protocol.messages;

import java.util.regex.Pattern;

/** The one phone-number rule: E.164, a plus, a country code not starting with 0, 7 to 15 digits in all. */
public final class PhoneNumbers {
  public static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  /** For messages that show what is meant. */
  public static final String EXAMPLE = "+15551234567";

  private PhoneNumbers() {}

  public static boolean isE164(String number) {
    return number != null && E164.matcher(number).matches();
  }
}
