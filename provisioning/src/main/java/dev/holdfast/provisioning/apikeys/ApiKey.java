package dev.holdfast.provisioning.apikeys;

import dev.holdfast.provisioning.support.ChecksummedToken;

/**
 * The plaintext of a new API key, handed out once. {@link #toString()} shows only the public id;
 * {@link #reveal()} is for the one place that prints or transmits it.
 */
public final class ApiKey {
  public static final ChecksummedToken FORMAT = new ChecksummedToken("hf_", 30, 8);

  private final String id;
  private final char[] value;

  ApiKey(String value) {
    this.id = FORMAT.idOf(value);
    this.value = value.toCharArray();
  }

  public String id() {
    return id;
  }

  public String reveal() {
    return new String(value);
  }

  /** Overwrites this copy of the plaintext. */
  public void destroy() {
    java.util.Arrays.fill(value, '\0');
  }

  @Override
  public String toString() {
    return "ApiKey[" + id + ", redacted]";
  }
}
