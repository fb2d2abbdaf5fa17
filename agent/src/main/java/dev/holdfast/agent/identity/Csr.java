package dev.holdfast.agent.identity;

import dev.holdfast.protocol.crypto.P256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The PKCS#10 request for a pending key, signed with that key (proof of possession). The
 * subject is a fixed placeholder: the service names the device, never the request.
 */
public final class Csr {
  static final X500Name SUBJECT = new X500Name("CN=holdfast-device");

  private Csr() {}

  /** DER of a CSR for {@code key}, ECDSA with SHA-256. */
  public static byte[] of(PendingKey key, SecureRandom random) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(SUBJECT, key.publicKey())
          .build(P256.contentSigner(key.privateKey(), random)).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
