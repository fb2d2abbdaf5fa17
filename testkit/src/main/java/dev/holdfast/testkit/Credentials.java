package dev.holdfast.testkit;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A client identity: a private key and its certificate chain (leaf first, then the issuing CA).
 * {@code toString()} names the CN and serial only, never the key.
 *
 * @param commonName the certificate's CN: the device id, or {@code holdfast.provisioning}
 * @param key        the private key (EC P-256)
 * @param chain      leaf first
 */
public record Credentials(String commonName, PrivateKey key, List<X509Certificate> chain) {

  public Credentials {
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain must hold at least the leaf certificate");
    }
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  public BigInteger serial() {
    return certificate().getSerialNumber();
  }

  @Override
  public String toString() {
    return "Credentials[cn=" + commonName + ", serial=" + serial().toString(16) + ", key=(redacted)]";
  }
}
