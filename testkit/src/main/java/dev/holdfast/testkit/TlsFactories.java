package dev.holdfast.testkit;

import dev.holdfast.common.net.PinnedTls;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/** Client TLS contexts with the key in memory only: the key never touches the disk. */
final class TlsFactories {
  private TlsFactories() {}

  /** Presents {@code who} (none when null) and trusts {@code trustAnchor} only. */
  static SSLSocketFactory client(Credentials who, X509Certificate trustAnchor) {
    try {
      return who == null ? PinnedTls.context(null, List.of(), trustAnchor, null).getSocketFactory()
          : PinnedTls.context(who.key(), who.chain(), trustAnchor, null).getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS client context for " + who + ": " + e.getMessage(), e);
    }
  }
}
