package dev.holdfast.agent.identity;

import dev.holdfast.common.net.PinnedTls;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * TLS contexts that trust exactly one pinned root, never the JDK's default CA list: whoever
 * holds a certificate from a public CA still cannot pose as the broker or the provisioning
 * server. Key material lives only in memory; nothing is written to disk.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * The device's client context for the MQTT broker: presents the device key with its chain
   * (leaf, issuing CA, root) and trusts only the set's pinned fleet root.
   *
   * @param random the randomness TLS draws from (injected, like everywhere else)
   */
  public static SSLContext client(CredentialSet set, SecureRandom random) {
    try {
      return PinnedTls.context(set.privateKey(), set.chain(), set.fleetRoot(), random);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS client context for " + set.deviceId(), e);
    }
  }

  /**
   * A context with no client key that trusts only {@code root}: for HTTPS to the provisioning
   * server, whose certificate is checked against the root (and, by the HTTP client, its name).
   */
  public static SSLContext trustingOnly(X509Certificate root, SecureRandom random) {
    try {
      return PinnedTls.context(null, List.of(), root, random);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context pinned to " + root.getSubjectX500Principal(), e);
    }
  }
}
