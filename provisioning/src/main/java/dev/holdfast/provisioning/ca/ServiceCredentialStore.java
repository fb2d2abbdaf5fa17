package dev.holdfast.provisioning.ca;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
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
final class ServiceCredentialStore {
  /** Signs with the issuing CA, whose key stays in {@link CertificateAuthority}. */
  @FunctionalInterface
  interface Signer {
    X509Certificate sign(RegistryTx tx, String cn, PublicKey key, Instant now, Instant notAfter,
        CertificateTemplates.Usage usage, List<String> sans) throws RegistryException;
  }

  private final Registry registry;
  private final CaSettings settings;
  private final Clock clock;
  private final SecureRandom random;
  private final X509Certificate issuing;
  private final X509Certificate root;
  private final Signer signer;

  ServiceCredentialStore(Registry registry, CaSettings settings, Clock clock, SecureRandom random,
      X509Certificate issuing, X509Certificate root, Signer signer) {
    this.registry = registry;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.issuing = issuing;
    this.root = root;
    this.signer = signer;
  }

  ServerCredentials get(String secretName, String cn, List<String> names, CertificateTemplates.Usage usage,
      String actor) throws RegistryException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return registry.write(tx -> {
      Optional<Secret> storedKey = tx.secret(secretName + ".key");
      Optional<Secret> storedCert = tx.secret(secretName + ".cert");
      if (storedKey.isPresent() && storedCert.isPresent()) {
        try {
          X509Certificate cert = Pem.certificate(storedCert.get().bytes());
          if (stillGood(cert, names, now)) {
            return new ServerCredentials(CaKeys.fromSecret(storedKey.get()), List.of(cert, issuing, root));
          }
        } catch (GeneralSecurityException e) {
          Logger.warn("stored {} certificate does not decode; issuing a new one", secretName);
        }
      }
      KeyPair keys = CaKeys.generate(random);
      Instant notAfter =
          CertificateAuthority.min(now.plus(settings.serverLifetime()), issuing.getNotAfter().toInstant());
      X509Certificate cert = signer.sign(tx, cn, keys.getPublic(), now, notAfter, usage, names);
      tx.putSecret(secretName + ".key", CaKeys.toSecret(keys.getPrivate()));
      tx.putSecret(secretName + ".cert", Secret.wrap(CertificateAuthority.encoded(cert)));
      tx.put(CertificateAuthority.record(cert, CertificateRecord.Kind.SERVER, cn));
      tx.append(AuditEvent.of(now, actor, "cert.issued", null, (names.isEmpty() ? "client " + cn : "server " + names)
          + ", serial " + SerialNumbers.hex(cert.getSerialNumber())));
      return new ServerCredentials(keys.getPrivate(), List.of(cert, issuing, root));
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
    return fresh && sans.containsAll(names) && cert.getIssuerX500Principal().equals(issuing.getSubjectX500Principal());
  }
}
