package dev.holdfast.provisioning.tokens;

import dev.holdfast.provisioning.support.ChecksummedToken;
import dev.holdfast.provisioning.support.PlaintextToken;

/** The plaintext of a new enrollment token, shown once. */
public final class EnrollmentToken extends PlaintextToken {
  public static final ChecksummedToken FORMAT = new ChecksummedToken("hfe_", 30, 8);

  EnrollmentToken(String value) {
    super(FORMAT, value);
  }
}
