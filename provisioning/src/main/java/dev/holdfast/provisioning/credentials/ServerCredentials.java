package dev.holdfast.provisioning.credentials;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS server's key and certificate chain (leaf first).
 *
 * @param key held in memory only; {@link #toString()} never shows it
 */
public record ServerCredentials(PrivateKey key, List<X509Certificate> chain) {
  public ServerCredentials {
    chain = List.copyOf(chain);
  }

  @Override
  public String toString() {
    return "ServerCredentials[" + chain.get(0).getSubjectX500Principal() + ", key redacted]";
  }
}
