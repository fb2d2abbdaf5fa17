package dev.holdfast.agent.identity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts that trust exactly one pinned root, never the JDK's default CA list: whoever
 * holds a certificate from a public CA still cannot pose as the broker or the provisioning
 * server. Key material lives only in in-memory key stores; nothing is written to disk.
 */
public final class TlsContexts {
  /** Protects the in-memory key store only; it never leaves this process, so it guards nothing. */
  private static final char[] IN_MEMORY = "in-memory".toCharArray();

  private TlsContexts() {}

  /**
   * The device's client context for the MQTT broker: presents the device key with its chain
   * (leaf, issuing CA, root) and trusts only the set's pinned fleet root.
   *
   * @param random the randomness TLS draws from (injected, like everywhere else)
   */
  public static SSLContext client(CredentialSet set, SecureRandom random) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("device", set.privateKey(), IN_MEMORY, set.chain().toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, IN_MEMORY);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), trustOnly(set.fleetRoot()).getTrustManagers(), random);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS client context for " + set.deviceId(), e);
    }
  }

  /**
   * A context with no client key that trusts only {@code root}: for HTTPS to the provisioning
   * server, whose certificate is checked against the root (and, by the HTTP client, its name).
   */
  public static SSLContext trustingOnly(X509Certificate root, SecureRandom random) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustOnly(root).getTrustManagers(), random);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context pinned to " + root.getSubjectX500Principal(), e);
    }
  }

  private static TrustManagerFactory trustOnly(X509Certificate root) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("fleet-root", root);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    return tmf;
  }
}
