package dev.holdfast.common.net;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * TLS contexts that present one key (or none) and trust exactly one pinned root, never the JDK's
 * default CA list. The key goes to TLS through a key manager that holds it, not through a PKCS#12
 * key store: an in-memory PKCS#12 entry is encrypted with PBKDF2 (10,000 iterations) when stored
 * and again decrypted when the key manager reads it, which cost more CPU than the handshake's own
 * arithmetic whenever a device connected with a new certificate (docs/decisions.md).
 */
public final class PinnedTls {
  private PinnedTls() {}

  /**
   * A context that presents {@code key} with {@code chain} (leaf first) when {@code key} is not
   * null and trusts only {@code root}.
   *
   * @param random the randomness TLS draws from; null for the JDK's default
   */
  public static SSLContext context(PrivateKey key, List<X509Certificate> chain, X509Certificate root,
      SecureRandom random) throws GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try {
      trust.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("an empty key store does not load", e);
    }
    trust.setCertificateEntry("root", root);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(key == null ? null : new KeyManager[] {keyManager(key, chain)}, tmf.getTrustManagers(), random);
    return context;
  }

  /** Presents {@code key} with {@code chain} (leaf first), whatever the peer asks for: for a context of one's own. */
  public static KeyManager keyManager(PrivateKey key, List<X509Certificate> chain) {
    return new OneKey(key, chain);
  }

  /** The one key and chain a client or server presents, whatever the peer asks for. */
  static final class OneKey extends X509ExtendedKeyManager {
    static final String ALIAS = "holdfast";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    OneKey(PrivateKey key, List<X509Certificate> chain) {
      this.key = key;
      this.chain = chain.toArray(X509Certificate[]::new);
    }

    private String aliasFor(String... keyTypes) {
      for (String type : keyTypes) {
        // JSSE asks for "EC", or for TLS 1.2 server keys "EC_EC" and the like (key type, signer's type)
        if (type != null && (type.equals(key.getAlgorithm()) || type.startsWith(key.getAlgorithm() + "_"))) {
          return ALIAS;
        }
      }
      return null;
    }

    private String[] aliasesFor(String keyType) {
      return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return aliasesFor(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return aliasesFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return aliasFor(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }
}
