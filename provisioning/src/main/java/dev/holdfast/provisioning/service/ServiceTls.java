package dev.holdfast.provisioning.service;

import dev.holdfast.provisioning.credentials.ServerCredentials;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The service's TLS client context for the broker: its own certificate, trusting the fleet root only. */
public final class ServiceTls {
  private ServiceTls() {}

  public static SSLContext context(ServerCredentials client, X509Certificate fleetRoot, SecureRandom random) {
    try {
      char[] password = new char[0];
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("service", client.key(), password,
          client.chain().subList(0, 2).toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("fleet-root", fleetRoot);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build the service's TLS client context", e);
    }
  }
}
