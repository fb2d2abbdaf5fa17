package dev.holdfast.provisioning.cli;

import java.util.OptionalInt;

/**
 * Whether a token can go into an HTTP header as the relay sends it ({@code Authorization: Bearer
 * ...} or inside Basic): visible ASCII only, no space, no control character, nothing beyond ASCII.
 * A token that breaks the header makes every send fail, and the HTTP client's exception quotes the
 * header, token included.
 */
final class HeaderTokens {
  private HeaderTokens() {}

  /** The index of the first character not allowed, if any. */
  static OptionalInt firstInvalid(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** What kind of character is at {@code index}, without showing it. */
  static String describe(String token, int index) {
    char c = token.charAt(index);
    if (c == ' ') {
      return "a space";
    }
    return c < 0x20 || c == 0x7f ? "a control character" : "a character outside ASCII";
  }
}
