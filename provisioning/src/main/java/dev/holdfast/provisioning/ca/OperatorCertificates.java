package dev.holdfast.provisioning.ca;

import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import java.io.IOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.tinylog.Logger;

/**
 * Fleet operators' MQTT client certificates (CN {@code holdfast.operator.NAME}, clientAuth). Each
 * operator has its own CN because the broker makes the CN the client id: two operators sharing one
 * would disconnect each other. The registry's certificate records are the list of operators; a
 * removed operator's certificates are revoked, so the CRL shuts them out of new connections.
 */
public final class OperatorCertificates {
  /** Every operator CN starts with this (the dots make it no valid device id). */
  public static final String CN_PREFIX = "holdfast.operator.";
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

  private final CertificateAuthority ca;
  private final Registry registry;
  private final Clock clock;
  private final SecureRandom random;

  OperatorCertificates(CertificateAuthority ca, Registry registry, Clock clock, SecureRandom random) {
    this.ca = ca;
    this.registry = registry;
    this.clock = clock;
    this.random = random;
  }

  /** The CN of operator {@code name}; refuses a name outside {@code [a-z0-9-]{1,32}}. */
  public static String cn(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("an operator name is 1 to 32 characters a-z, 0-9 or '-', got '" + name
          + "'; e.g. 'alice' or 'night-shift'");
    }
    return CN_PREFIX + name;
  }

  /** The operator's name in a certificate record of kind OPERATOR. */
  public static String name(CertificateRecord c) {
    return c.subject().substring(CN_PREFIX.length());
  }

  /**
   * Issues operator {@code name} a new key and certificate (leaf, issuing, root); refuses while it
   * has one that is neither revoked nor expired.
   */
  public ServerCredentials issue(String name, Duration lifetime, String actor)
      throws CaException, RegistryException {
    String cn = cn(name);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = ca.checkedNotAfter(now, lifetime);
    ServerCredentials issued = registry.write(tx -> {
      if (tx.certificates().stream().anyMatch(c -> isActive(c, cn, now))) {
        return null;
      }
      KeyPair keys = CaKeys.generate(random);
      X509Certificate leaf = ca.sign(tx, cn, keys.getPublic(), now, notAfter, CertificateTemplates.Usage.DEVICE,
          List.of());
      String serial = SerialNumbers.hex(leaf.getSerialNumber());
      tx.put(CertificateAuthority.record(leaf, CertificateRecord.Kind.OPERATOR, cn));
      tx.append(AuditEvent.of(now, actor, "operator.added", null,
          "operator " + name + ", serial " + serial + ", until " + notAfter));
      return new ServerCredentials(keys.getPrivate(), List.of(leaf, ca.issuing(), ca.root()));
    });
    if (issued == null) {
      throw new CaException(CaException.Reason.POLICY, "operator " + name
          + " exists already; run 'operators remove " + name + "' first to give it a new certificate");
    }
    Logger.info("issued operator certificate for {} until {}", cn, notAfter);
    return issued;
  }

  /** Every operator certificate ever issued, by name, then oldest first. */
  public List<CertificateRecord> list() throws RegistryException {
    return registry.read(tx -> tx.certificates().stream()
        .filter(c -> c.kind() == CertificateRecord.Kind.OPERATOR)
        .sorted(Comparator.comparing(CertificateRecord::subject).thenComparing(CertificateRecord::notBefore)
            .thenComparing(CertificateRecord::serial))
        .toList());
  }

  /** Names of the operators whose certificate is neither revoked nor expired, sorted: the ACL's blocks. */
  public List<String> activeNames() throws RegistryException {
    Instant now = clock.instant();
    return list().stream().filter(c -> isActive(c, c.subject(), now)).map(OperatorCertificates::name)
        .distinct().sorted().toList();
  }

  /** Revokes every certificate of operator {@code name} and rewrites the CRL (if a path is configured). */
  public List<CertificateRecord> remove(String name, String actor)
      throws CaException, RegistryException, IOException {
    String cn = cn(name);
    Instant now = clock.instant();
    CertificateAuthority.Revocation r = registry.write(tx -> {
      List<CertificateRecord> mine = tx.certificates().stream()
          .filter(c -> c.kind() == CertificateRecord.Kind.OPERATOR && c.subject().equals(cn)
              && c.state() == CertificateRecord.State.VALID)
          .toList();
      if (mine.isEmpty()) {
        return null;
      }
      List<CertificateRecord> done = CertificateAuthority.revokeAll(tx, mine, now, actor);
      tx.append(AuditEvent.of(now, actor, "operator.removed", null,
          "operator " + name + ", " + done.size() + " certificate(s) revoked"));
      return new CertificateAuthority.Revocation(done, ca.crl(tx, now));
    });
    if (r == null) {
      throw new CaException(CaException.Reason.UNKNOWN_CERTIFICATE,
          "no operator " + name + " with a certificate to revoke; see 'operators list'");
    }
    ca.publish(r.crl());
    return r.revoked();
  }

  private static boolean isActive(CertificateRecord c, String cn, Instant now) {
    return c.kind() == CertificateRecord.Kind.OPERATOR && c.subject().equals(cn)
        && c.state() == CertificateRecord.State.VALID && !c.expiredAt(now);
  }
}
