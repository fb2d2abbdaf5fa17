package dev.holdfast.testkit;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Client TLS contexts from in-memory key stores: the key never touches the disk. */
final class TlsFactories {
  private static final char[] IN_MEMORY = "in-memory".toCharArray();

  private TlsFactories() {}

  /** Presents {@code who} (none when null) and trusts {@code trustAnchor} only. */
  static SSLSocketFactory client(Credentials who, X509Certificate trustAnchor) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("root", trustAnchor);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      if (who != null) {
        keys.setKeyEntry("client", who.key(), IN_MEMORY, who.chain().toArray(new Certificate[0]));
      }
      kmf.init(keys, IN_MEMORY);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a TLS client context for " + who + ": " + e.getMessage(), e);
    }
  }
}
