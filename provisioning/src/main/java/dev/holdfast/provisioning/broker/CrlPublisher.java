package dev.holdfast.provisioning.broker;

import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.Crls;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * Puts the CRL where the broker reads it ({@code ca.crl-path}) and makes the broker re-read it:
 * the file is replaced only by a complete, verified, world-readable one ({@link CrlFiles}), then
 * {@code onPublished} runs (the wiring sends the broker SIGHUP; a failure is thrown, for the caller to
 * record as pending). Without a configured path
 * nothing is written: {@code crl export} is then the way.
 */
public final class CrlPublisher {
  private final Optional<Path> path;
  private final X509Certificate issuing;
  private final Clock clock;
  private final Reload onPublished;

  /** @param issuing the CA that signs the CRL: a file it did not sign is never taken as current */
  public CrlPublisher(Optional<Path> path, X509Certificate issuing, Clock clock, Reload onPublished) {
    this.path = path;
    this.issuing = issuing;
    this.clock = clock;
    this.onPublished = onPublished;
  }

  public Optional<Path> path() {
    return path;
  }

  /** Writes {@code crl} to the configured path and tells the broker; false when no path is configured. */
  public boolean publish(X509CRL crl) throws IOException, BrokerReloadException {
    if (path.isEmpty()) {
      return false;
    }
    CrlFiles.publish(path.get(), crl, issuing);
    Logger.info("CRL {} written to {}, valid until {}", Crls.number(crl), path.get(), crl.getNextUpdate().toInstant());
    onPublished.run();
    return true;
  }

  /**
   * Rewrites the CRL when the one at the path is missing, unreadable, not this CA's, or has less
   * than half of its validity left ({@link Crls#refreshDue}); true when it wrote one.
   */
  public boolean refreshIfDue(CertificateAuthority ca, Registry registry)
      throws RegistryException, IOException, BrokerReloadException {
    if (path.isEmpty()) {
      return false;
    }
    Optional<X509CRL> current = CrlFiles.read(path.get(), issuing);
    if (current.isPresent() && !Crls.refreshDue(current.get(), clock.instant())) {
      return false;
    }
    return publish(registry.write(ca::crl));
  }
}
