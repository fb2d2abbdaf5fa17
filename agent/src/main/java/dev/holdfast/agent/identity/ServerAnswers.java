package dev.holdfast.agent.identity;

import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.protocol.messages.MessageException;
import java.util.Optional;

/**
 * What an answer of the provisioning server means: an {@link EnrollResponse}, or an {@link
 * EnrollError} turned into the failure the bench operator must act on. Shared by the HTTPS path
 * and the air-gapped response file, so both report the same things the same way.
 */
final class ServerAnswers {
  private static final int MAX_SHOWN = 200;

  private ServerAnswers() {}

  /** An answer of unknown kind (the air-gapped file): a response, or the error it reports. */
  static EnrollResponse fromFile(String body) throws EnrollmentException {
    boolean isError;
    try {
      isError = JsonParser.parseObject(body).containsKey("error");
    } catch (JsonParser.JsonException e) {
      throw new EnrollmentException(EnrollmentException.Reason.RESPONSE_INVALID,
          "the enrollment response is not valid JSON (" + e.getMessage() + "); nothing was stored");
    }
    if (isError) {
      throw error(body, Optional.empty(), "the response file");
    }
    return response(body);
  }

  /** The response of an HTTP 200 answer, parsed but not yet verified. */
  static EnrollResponse response(String body) throws EnrollmentException {
    try {
      return EnrollResponse.parse(body);
    } catch (MessageException e) {
      throw new EnrollmentException(EnrollmentException.Reason.RESPONSE_INVALID,
          "the enrollment response was refused: " + e.getMessage() + "; nothing was stored");
    }
  }

  /** The failure an error answer reports; {@code token} is scrubbed from any text shown. */
  static EnrollmentException error(String body, Optional<String> token, String what) {
    try {
      return failure(EnrollError.parse(body), token);
    } catch (MessageException e) {
      return new EnrollmentException(EnrollmentException.Reason.SERVER_ERROR,
          what + " is not an enrollment answer this agent understands (" + shown(e.getMessage(), token)
              + "); check it comes from the provisioning API");
    }
  }

  static EnrollmentException failure(EnrollError error, Optional<String> token) {
    String said = " (server: " + shown(error.message(), token) + ")";
    return switch (error.code()) {
      case TOKEN_UNKNOWN, TOKEN_MALFORMED -> new EnrollmentException(EnrollmentException.Reason.TOKEN_UNKNOWN,
          "the enrollment token was refused as unknown" + said + ": check it for typos and that it is from this "
              + "fleet's server, or ask the operator for a new one");
      case TOKEN_EXPIRED -> new EnrollmentException(EnrollmentException.Reason.TOKEN_EXPIRED,
          "the enrollment token has expired" + said + ": ask the operator for a new one");
      case TOKEN_USED -> new EnrollmentException(EnrollmentException.Reason.TOKEN_USED,
          "the enrollment token was already used" + said + ": ask for a new one, and if this device did not use "
              + "it, tell the operator (it may have leaked)");
      case TOKEN_REVOKED -> new EnrollmentException(EnrollmentException.Reason.TOKEN_REVOKED,
          "the enrollment token was revoked by an operator" + said + ": ask the operator for a new one");
      case CSR_REJECTED -> new EnrollmentException(EnrollmentException.Reason.CSR_REFUSED,
          "the server refused this device's certificate request" + said + ": report it with the agent's version "
              + "('holdfast-agent --version')");
      case RATE_LIMITED -> new EnrollmentException(EnrollmentException.Reason.RATE_LIMITED,
          "the provisioning server refused: too many enrollment attempts from this address" + said
              + "; the token was not used: wait that long and run the same command again");
      case BAD_REQUEST, TOO_LARGE, INTERNAL, UNAVAILABLE -> new EnrollmentException(
          EnrollmentException.Reason.SERVER_ERROR, "the provisioning server could not enroll this device: "
              + error.code().wire + said + "; try again later, or check the server's log");
    };
  }

  /** A server's sentence, on one line, bounded, without the token even if the server echoed it. */
  static String shown(String text, Optional<String> token) {
    String s = text;
    if (token.isPresent() && !token.get().isEmpty()) {
      s = s.replace(token.get(), "[token]");
    }
    s = s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ").strip();
    return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "..." : s;
  }
}
