package dev.holdfast.provisioning.api;

import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollError.Code;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.provisioning.apikeys.ApiKeyException;
import dev.holdfast.provisioning.ca.CaException;
import dev.holdfast.provisioning.ca.CsrRejectedException;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.tokens.RedeemException;

/**
 * Which {@link EnrollError} a failed enrollment becomes: one mapping for {@code POST /v1/enroll} and
 * the air-gapped {@code enroll} command. What the device is told names its problem and what to do;
 * an internal fault is described to the operator's log, not to the client.
 */
public final class EnrollFailures {
  static final String NOT_SPENT = "the token was not spent";

  private EnrollFailures() {}

  public static EnrollError of(Exception e) {
    if (e instanceof RedeemException r) {
      Code code = switch (r.reason()) {
        case MALFORMED -> Code.TOKEN_MALFORMED;
        case UNKNOWN -> Code.TOKEN_UNKNOWN;
        case EXPIRED -> Code.TOKEN_EXPIRED;
        case ALREADY_REDEEMED -> Code.TOKEN_USED;
        case REVOKED -> Code.TOKEN_REVOKED;
      };
      return new EnrollError(code, r.getMessage());
    }
    if (e instanceof CsrRejectedException) {
      return new EnrollError(Code.CSR_REJECTED, e.getMessage() + "; " + NOT_SPENT);
    }
    if (e instanceof MessageException) {
      return new EnrollError(Code.BAD_REQUEST, e.getMessage());
    }
    if (e instanceof RegistryException r && r.reason() != RegistryException.Reason.CORRUPT) {
      return new EnrollError(Code.UNAVAILABLE,
          "the provisioning service cannot write its registry right now; " + NOT_SPENT + "; retry later");
    }
    if (e instanceof CaException || e instanceof ApiKeyException || e instanceof RegistryException) {
      return new EnrollError(Code.INTERNAL,
          "the provisioning service could not complete the enrollment; " + NOT_SPENT + "; tell the fleet operator");
    }
    return new EnrollError(Code.INTERNAL, "internal error; " + NOT_SPENT + "; tell the fleet operator");
  }
}
