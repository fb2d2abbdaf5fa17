package dev.holdfast.provisioning.service;

import dev.holdfast.common.net.PinnedTls;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;

/** The service's TLS client context for the broker: its own certificate, trusting the fleet root only. */
public final class ServiceTls {
  private ServiceTls() {}

  public static SSLContext context(ServerCredentials client, X509Certificate fleetRoot, SecureRandom random) {
    try {
      return PinnedTls.context(client.key(), client.chain().subList(0, 2), fleetRoot, random);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not build the service's TLS client context", e);
    }
  }
}
