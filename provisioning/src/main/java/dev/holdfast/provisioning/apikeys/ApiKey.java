package dev.holdfast.provisioning.apikeys;

import dev.holdfast.provisioning.support.ChecksummedToken;
import dev.holdfast.provisioning.support.PlaintextToken;

/** The plaintext of a new API key, handed out once. */
public final class ApiKey extends PlaintextToken {
  public static final ChecksummedToken FORMAT = new ChecksummedToken("hf_", 30, 8);

  ApiKey(String value) {
    super(FORMAT, value);
  }
}
