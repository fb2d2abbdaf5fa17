package dev.holdfast.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Tells whether the broker's event loop is serving: a TLS handshake without a client certificate
 * gets an answer (accepted or refused) only from a broker that is running its loop. The broker logs
 * each probe as a client that sent no certificate.
 */
final class BrokerProbe {
  private final Path caChain;
  private SSLContext context;

  BrokerProbe(Path caChain) {
    this.caChain = caChain;
  }

  boolean answers(int port) {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      plain.setSoTimeout(2000);
      try (SSLSocket tls = (SSLSocket) context().getSocketFactory().createSocket(plain, "127.0.0.1", port, false)) {
        tls.startHandshake();
        return true;
      }
    } catch (ConnectException notListening) {
      return false;
    } catch (SSLException answeredWithARefusal) {
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private SSLContext context() {
    if (context == null) {
      try (InputStream in = Files.newInputStream(caChain)) {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        context = ctx;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the broker's CA chain " + caChain, e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot use the broker's CA chain " + caChain + ": " + e.getMessage(), e);
      }
    }
    return context;
  }
}
