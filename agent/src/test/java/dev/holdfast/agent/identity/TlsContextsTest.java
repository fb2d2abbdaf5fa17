package dev.holdfast.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.agent.testing.TestFleet;
import dev.holdfast.protocol.crypto.Secret;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** Real TLS handshakes on loopback with the contexts built from a credential set. */
class TlsContextsTest {
  final TestFleet fleet = TestFleet.create();
  final KeyPair device = TestFleet.keyPair();

  CredentialSet set(TestFleet pinned) {
    X509Certificate leaf = fleet.deviceCertificate("dev-0123456789abcdef", device.getPublic(),
        Instant.now().plus(Duration.ofDays(30)));
    return new CredentialSet("dev-0123456789abcdef", device.getPrivate(), List.of(leaf, fleet.issuing, fleet.root),
        pinned.root, Secret.copyOf(new byte[] {1}), "k1", Instant.now().plus(Duration.ofDays(9)), List.of(),
        fleet.commandKey.getPublic(), Instant.now());
  }

  /** A server that demands a client certificate from {@code fleet} and reports the client's subject. */
  String handshake(SSLContext client, SSLContext server) throws Exception {
    try (SSLServerSocket listen = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listen.setNeedClientAuth(true);
      CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket s = (SSLSocket) listen.accept()) {
          InputStream in = s.getInputStream();
          in.read();
          String name = s.getSession().getPeerPrincipal().getName();
          s.getOutputStream().write(1);
          return name;
        } catch (Exception e) {
          return "server failed: " + e;
        }
      });
      try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
          listen.getLocalPort())) {
        OutputStream out = s.getOutputStream();
        out.write(1);
        out.flush();
        s.getInputStream().read();
      }
      return peer.get(10, TimeUnit.SECONDS);
    }
  }

  SSLContext serverTrustingTheFleet(TestFleet serverFleet) throws Exception {
    // the broker trusts the device's fleet, and presents a certificate from serverFleet
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", fleet.root);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    return serverFleet.serverContextTrusting("127.0.0.1", tmf);
  }

  @Test
  void theClientContextPresentsTheDeviceCertificateToABrokerOfThePinnedFleet() throws Exception {
    String peer = handshake(TlsContexts.client(set(fleet), new SecureRandom()), serverTrustingTheFleet(fleet));
    assertThat(peer).isEqualTo("CN=dev-0123456789abcdef");
  }

  @Test
  void theClientContextRefusesABrokerCertifiedByAnotherRoot() throws Exception {
    TestFleet other = fleet.another();
    SSLContext client = TlsContexts.client(set(fleet), new SecureRandom());
    assertThatThrownBy(() -> handshake(client, serverTrustingTheFleet(other)))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void trustingOnlyARootRefusesServersOfOtherRootsEvenWithPublicCas() throws Exception {
    SSLContext pinnedOther = TlsContexts.trustingOnly(fleet.another().root, new SecureRandom());
    assertThatThrownBy(() -> handshake(pinnedOther, serverTrustingTheFleet(fleet)))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void theCredentialSetNeverPrintsItsSecrets() {
    CredentialSet s = set(fleet);
    assertThat(s.toString()).contains("dev-0123456789abcdef").contains("redacted")
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(device.getPrivate().getEncoded()).substring(0, 40));
  }
}
