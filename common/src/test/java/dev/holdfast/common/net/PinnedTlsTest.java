package dev.holdfast.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.P256;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.junit.jupiter.api.Test;

/** A pinned context presents its one key and trusts its one root, in a real TLS handshake. */
class PinnedTlsTest {
  static final SecureRandom RANDOM = new SecureRandom();
  final KeyPair rootKeys = P256.generate(RANDOM);
  final X509Certificate root = cert("CN=test root", rootKeys.getPublic(), "CN=test root", rootKeys.getPrivate());

  /** A certificate for {@code key}; a CA's when it is self-signed. */
  static X509Certificate cert(String subject, PublicKey key, String issuer, PrivateKey issuerKey) {
    try {
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
          BigInteger.valueOf(RANDOM.nextInt(1 << 30)), Date.from(Instant.now().minusSeconds(60)),
          Date.from(Instant.now().plusSeconds(3600)), new X500Name(subject), key);
      if (subject.equals(issuer)) {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      }
      return new JcaX509CertificateConverter().getCertificate(b.build(P256.contentSigner(issuerKey, RANDOM)));
    } catch (java.security.cert.CertificateException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A context presenting a new key certified by {@code issuerKey} as {@code name}, trusting {@code trusted}. */
  SSLContext presenting(String name, PrivateKey issuerKey, X509Certificate trusted) throws Exception {
    KeyPair keys = P256.generate(RANDOM);
    return PinnedTls.context(keys.getPrivate(), List.of(cert(name, keys.getPublic(), "CN=test root", issuerKey),
        root), trusted, RANDOM);
  }

  /** The client's certificate chain as the server saw it after the handshake (a server that needs one). */
  static List<Certificate> handshake(SSLContext server, SSLContext client) throws Exception {
    return handshake(server, client, "TLSv1.3");
  }

  /** As {@link #handshake(SSLContext, SSLContext)}, the client offering {@code protocol} only. */
  static List<Certificate> handshake(SSLContext server, SSLContext client, String protocol) throws Exception {
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      CompletableFuture<List<Certificate>> seen = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.startHandshake();
          return List.of(s.getSession().getPeerCertificates());
        } catch (IOException e) {
          return List.of();
        }
      });
      try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(listener.getInetAddress(),
          listener.getLocalPort())) {
        s.setEnabledProtocols(new String[] {protocol});
        s.startHandshake();
        s.getInputStream().read(); // TLS 1.3: the server's verdict on the client's certificate arrives now
      }
      return seen.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theClientPresentsItsOneKeyAndChainAndEachSideTrustsThePinnedRoot() throws Exception {
    KeyPair clientKeys = P256.generate(RANDOM);
    X509Certificate clientCert = cert("CN=dev-0001", clientKeys.getPublic(), "CN=test root", rootKeys.getPrivate());
    SSLContext client = PinnedTls.context(clientKeys.getPrivate(), List.of(clientCert, root), root, RANDOM);

    assertThat(handshake(presenting("CN=server", rootKeys.getPrivate(), root), client))
        .containsExactly(clientCert, root);
  }

  @Test
  void overTls12TheServerAndTheClientChooseTheirOneKeyToo() throws Exception {
    KeyPair clientKeys = P256.generate(RANDOM);
    X509Certificate clientCert = cert("CN=dev-0002", clientKeys.getPublic(), "CN=test root", rootKeys.getPrivate());
    SSLContext client = PinnedTls.context(clientKeys.getPrivate(), List.of(clientCert, root), root, RANDOM);

    assertThat(handshake(presenting("CN=server", rootKeys.getPrivate(), root), client, "TLSv1.2"))
        .containsExactly(clientCert, root);
  }

  @Test
  void aServerCertifiedByAnotherRootIsRefused() throws Exception {
    KeyPair otherRoot = P256.generate(RANDOM);
    SSLContext server = presenting("CN=server", otherRoot.getPrivate(), root);

    assertThatThrownBy(() -> handshake(server, presenting("CN=dev-0001", rootKeys.getPrivate(), root)))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void aClientWithNoKeyPresentsNothingAndTheServerRefusesIt() throws Exception {
    SSLContext anonymous = PinnedTls.context(null, List.of(), root, RANDOM);

    assertThatThrownBy(() -> handshake(presenting("CN=server", rootKeys.getPrivate(), root), anonymous))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void theKeyIsOfferedForItsOwnAlgorithmOnly() {
    KeyPair keys = P256.generate(RANDOM);
    PinnedTls.OneKey manager = new PinnedTls.OneKey(keys.getPrivate(), List.of(root));

    assertThat(manager.chooseClientAlias(new String[] {"RSA", "EC"}, null, null)).isEqualTo(PinnedTls.OneKey.ALIAS);
    assertThat(manager.chooseServerAlias("EC_EC", null, null)).isEqualTo(PinnedTls.OneKey.ALIAS);
    assertThat(manager.chooseClientAlias(new String[] {"RSA"}, null, null)).isNull();
    assertThat(manager.getClientAliases("RSA", null)).isNull();
    assertThat(manager.getPrivateKey(PinnedTls.OneKey.ALIAS)).isSameAs(keys.getPrivate());
    assertThat(manager.getPrivateKey("other")).isNull();
    assertThat(manager.getCertificateChain(PinnedTls.OneKey.ALIAS)).containsExactly(root);
  }
}
