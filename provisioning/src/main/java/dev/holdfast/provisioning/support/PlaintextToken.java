package dev.holdfast.provisioning.support;

import java.util.Arrays;

/**
 * The plaintext of a new secret token (an API key, an enrollment token), handed out once: only its
 * hash is stored. {@link #toString()} shows the public id alone; {@link #reveal()} is for the one
 * place that prints or transmits it; {@link #destroy()} overwrites this copy.
 */
public abstract class PlaintextToken {
  private final String id;
  private final char[] value;

  protected PlaintextToken(ChecksummedToken format, String value) {
    this.id = format.idOf(value);
    this.value = value.toCharArray();
  }

  public final String id() {
    return id;
  }

  public final String reveal() {
    return new String(value);
  }

  /**
   * The plaintext as ASCII bytes (tokens are base62 and {@code _}), without an intermediate
   * {@code String}, so the caller can wipe them after sealing.
   */
  public final byte[] asciiBytes() {
    byte[] out = new byte[value.length];
    for (int i = 0; i < value.length; i++) {
      out[i] = (byte) value[i];
    }
    return out;
  }

  /** Overwrites this copy of the plaintext. */
  public final void destroy() {
    Arrays.fill(value, '\0');
  }

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "[" + id + ", redacted]";
  }
}
