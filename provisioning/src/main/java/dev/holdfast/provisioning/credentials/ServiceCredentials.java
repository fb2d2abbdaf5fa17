package dev.holdfast.provisioning.credentials;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.ca.CaKeys;
import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.ca.CertificateRecords;
import dev.holdfast.provisioning.ca.CertificateTemplates;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.ca.SerialNumbers;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * TLS credentials of the fleet's own services (the API server, the broker, the service's MQTT
 * client), sealed in the registry under a name and reused while they still cover the names asked
 * for and have more than a third of their lifetime left; otherwise a new key and certificate.
 */
public final class ServiceCredentials {
  /** The CN of the provisioning service's own MQTT client certificate (the dot: never a device id). */
  public static final String SERVICE_CN = "holdfast.provisioning";

  private final Registry registry;
  private final FleetCa ca;
  private final CaSettings settings;
  private final Clock clock;
  private final SecureRandom random;

  public ServiceCredentials(Registry registry, FleetCa ca, CaSettings settings, Clock clock, SecureRandom random) {
    this.registry = registry;
    this.ca = ca;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
  }

  /** A TLS server (the API, the broker) named {@code names}, kept under {@code secretName}. */
  public ServerCredentials server(String secretName, List<String> names, String actor) throws RegistryException {
    return get(secretName, names.get(0), names, CertificateTemplates.Usage.SERVER, actor);
  }

  /** The provisioning service's MQTT client (CN {@value #SERVICE_CN}, clientAuth), kept like {@link #server}. */
  public ServerCredentials serviceClient(String secretName, String actor) throws RegistryException {
    return get(secretName, SERVICE_CN, List.of(), CertificateTemplates.Usage.DEVICE, actor);
  }

  private ServerCredentials get(String secretName, String cn, List<String> names, CertificateTemplates.Usage usage,
      String actor) throws RegistryException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    X509Certificate issuing = ca.issuing();
    return registry.write(tx -> {
      Optional<Secret> storedKey = tx.secrets().find(secretName + ".key");
      Optional<Secret> storedCert = tx.secrets().find(secretName + ".cert");
      if (storedKey.isPresent() && storedCert.isPresent()) {
        try {
          X509Certificate cert = Pem.certificate(storedCert.get().bytes());
          if (stillGood(cert, names, now)) {
            return new ServerCredentials(CaKeys.fromSecret(storedKey.get()), List.of(cert, issuing, ca.root()));
          }
        } catch (GeneralSecurityException e) {
          Logger.warn("stored {} certificate does not decode; issuing a new one", secretName);
        }
      }
      KeyPair keys = P256.generate(random);
      Instant end = now.plus(settings.serverLifetime());
      Instant notAfter = end.isBefore(issuing.getNotAfter().toInstant()) ? end : issuing.getNotAfter().toInstant();
      X509Certificate cert = ca.sign(tx.certificates(), cn, keys.getPublic(), now, notAfter, usage, names);
      tx.secrets().put(secretName + ".key", CaKeys.toSecret(keys.getPrivate()));
      tx.secrets().put(secretName + ".cert", Secret.wrap(CertificateRecords.der(cert)));
      tx.certificates().put(CertificateRecords.of(cert, CertificateRecord.Kind.SERVER, cn));
      tx.audit().append(AuditEvent.of(now, actor, "cert.issued", null,
          (names.isEmpty() ? "client " + cn : "server " + names) + ", serial " + SerialNumbers.hex(cert.getSerialNumber())));
      return new ServerCredentials(keys.getPrivate(), List.of(cert, issuing, ca.root()));
    });
  }

  private boolean stillGood(X509Certificate cert, List<String> names, Instant now) throws GeneralSecurityException {
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    Duration left = Duration.between(now, notAfter);
    boolean fresh = left.compareTo(Duration.between(notBefore, notAfter).dividedBy(3)) > 0;
    List<String> sans = new ArrayList<>();
    if (cert.getSubjectAlternativeNames() != null) {
      cert.getSubjectAlternativeNames().forEach(n -> sans.add(String.valueOf(n.get(1))));
    }
    return fresh && sans.containsAll(names)
        && cert.getIssuerX500Principal().equals(ca.issuing().getSubjectX500Principal());
  }
}
