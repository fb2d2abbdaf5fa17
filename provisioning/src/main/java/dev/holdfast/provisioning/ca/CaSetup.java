package dev.holdfast.provisioning.ca;

import static dev.holdfast.provisioning.ca.CertificateAuthority.BACKDATE;
import static dev.holdfast.provisioning.ca.CertificateAuthority.COMMAND_KEY;
import static dev.holdfast.provisioning.ca.CertificateAuthority.COMMAND_PUBLIC;
import static dev.holdfast.provisioning.ca.CertificateAuthority.ISSUING_CERT;
import static dev.holdfast.provisioning.ca.CertificateAuthority.ISSUING_KEY;
import static dev.holdfast.provisioning.ca.CertificateAuthority.ISSUING_LIFETIME;
import static dev.holdfast.provisioning.ca.CertificateAuthority.ROOT_CERT;
import static dev.holdfast.provisioning.ca.CertificateAuthority.ROOT_KEY;
import static dev.holdfast.provisioning.ca.CertificateAuthority.ROOT_LIFETIME;
import static dev.holdfast.provisioning.ca.CertificateAuthority.encoded;
import static dev.holdfast.provisioning.ca.CertificateAuthority.record;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Creating a fleet CA ({@code init}): root, issuing CA and command-signing key, once per registry. */
final class CaSetup {
  private CaSetup() {}

  static CertificateAuthority.Initialized initialize(Registry registry, String fleetName, Clock clock,
      SecureRandom random, String actor) throws RegistryException, CaException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    KeyPair rootKeys = CaKeys.generate(random);
    KeyPair issuingKeys = CaKeys.generate(random);
    KeyPair commandKeys = CaKeys.generate(random);
    X509Certificate root = CertificateTemplates.sign(new CertificateTemplates.Spec(fleetName + " Root CA",
        rootKeys.getPublic(), SerialNumbers.random(random), now.minus(BACKDATE), now.plus(ROOT_LIFETIME),
        CertificateTemplates.Usage.ROOT_CA, List.of(), Optional.empty(), rootKeys.getPrivate()), random);
    X509Certificate issuing = CertificateTemplates.sign(new CertificateTemplates.Spec(fleetName + " Issuing CA",
        issuingKeys.getPublic(), SerialNumbers.random(random), now.minus(BACKDATE), now.plus(ISSUING_LIFETIME),
        CertificateTemplates.Usage.ISSUING_CA, List.of(), Optional.of(root), rootKeys.getPrivate()), random);
    boolean created = registry.write(tx -> {
      if (tx.secret(ISSUING_KEY).isPresent()) {
        return false;
      }
      tx.putSecret(ROOT_KEY, CaKeys.toSecret(rootKeys.getPrivate()));
      tx.putSecret(ISSUING_KEY, CaKeys.toSecret(issuingKeys.getPrivate()));
      tx.putSecret(COMMAND_KEY, CaKeys.toSecret(commandKeys.getPrivate()));
      tx.putSecret(ROOT_CERT, Secret.wrap(encoded(root)));
      tx.putSecret(ISSUING_CERT, Secret.wrap(encoded(issuing)));
      tx.putSecret(COMMAND_PUBLIC, Secret.wrap(commandKeys.getPublic().getEncoded()));
      tx.put(record(root, CertificateRecord.Kind.ROOT_CA, fleetName + " Root CA"));
      tx.put(record(issuing, CertificateRecord.Kind.ISSUING_CA, fleetName + " Issuing CA"));
      tx.append(AuditEvent.of(now, actor, "ca.initialized", null,
          "root " + SerialNumbers.hex(root.getSerialNumber())
              + ", issuing " + SerialNumbers.hex(issuing.getSerialNumber())));
      return true;
    });
    if (!created) {
      throw new CaException(CaException.Reason.ALREADY_INITIALIZED, "the fleet CA already exists in this registry");
    }
    return new CertificateAuthority.Initialized(root, issuing, commandKeys.getPublic());
  }
}
