package dev.holdfast.provisioning.ca;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A newly signed certificate.
 *
 * @param chain leaf first, then the issuing CA, then the root
 */
public record IssuedCertificate(String deviceId, String serial, List<X509Certificate> chain) {
  public IssuedCertificate {
    chain = List.copyOf(chain);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public String chainPem() {
    return Pem.certificates(chain);
  }
}
