package dev.holdfast.agent.rotation;

/** Why a rotation starts. */
public enum Trigger {
  /** The renewal policy's time came (about 2/3 of the certificate's lifetime). */
  AUTOMATIC(false),
  /** The relay answered 401: the API key is refused. */
  CREDENTIALS_REJECTED(false),
  /** A signed {@code rotate} command arrived on the device's command topic. */
  COMMAND(true),
  /** {@code holdfast-agent rotate} on the device. */
  LOCAL(true),
  /** An unfinished rotation found at start. */
  RESUME(true);

  /** Explicit triggers run at once; the others wait for a backoff after a failure. */
  final boolean explicit;

  Trigger(boolean explicit) {
    this.explicit = explicit;
  }
}
