package dev.holdfast.protocol.crypto;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * Secret bytes (a key, a token, a password). {@link #toString()} never shows them; {@link
 * #destroy()} overwrites them. Callers get copies, so wiping one copy never breaks another owner.
 */
public final class Secret implements Destroyable {
  private final byte[] bytes;
  private volatile boolean destroyed;

  private Secret(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes a copy of {@code bytes}; the caller may wipe its own array afterwards. */
  public static Secret copyOf(byte[] bytes) {
    return new Secret(bytes.clone());
  }

  /** Takes ownership of {@code bytes} without copying: the caller must not keep a reference. */
  public static Secret wrap(byte[] bytes) {
    return new Secret(bytes);
  }

  /** A copy of the secret bytes; wipe it when done. */
  public byte[] bytes() {
    if (destroyed) {
      throw new IllegalStateException("secret was destroyed");
    }
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Constant-time comparison of the contents. */
  public boolean contentEquals(Secret other) {
    return java.security.MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return "Secret[redacted, " + bytes.length + " bytes]";
  }
}
