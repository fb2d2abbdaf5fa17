package dev.holdfast.provisioning.tokens;

import dev.holdfast.provisioning.support.ChecksummedToken;

/** The plaintext of a new enrollment token, shown once; {@link #toString()} shows the id only. */
public final class EnrollmentToken {
  public static final ChecksummedToken FORMAT = new ChecksummedToken("hfe_", 30, 8);

  private final String id;
  private final char[] value;

  EnrollmentToken(String value) {
    this.id = FORMAT.idOf(value);
    this.value = value.toCharArray();
  }

  public String id() {
    return id;
  }

  public String reveal() {
    return new String(value);
  }

  @Override
  public String toString() {
    return "EnrollmentToken[" + id + ", redacted]";
  }
}
