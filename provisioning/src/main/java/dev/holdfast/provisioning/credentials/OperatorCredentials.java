package dev.holdfast.provisioning.credentials;

import dev.holdfast.common.Result;
import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.provisioning.ca.CaRefusal;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.CertificateRecords;
import dev.holdfast.provisioning.ca.CertificateTemplates;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.ca.Revocation;
import dev.holdfast.provisioning.ca.RevokeRequest;
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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tinylog.Logger;

/**
 * Fleet operators' MQTT client certificates (CN {@code holdfast.operator.NAME}, clientAuth). Each
 * operator has its own CN because the broker makes the CN the client id: two operators sharing one
 * would disconnect each other. The registry's certificate records are the list of operators; a
 * removed operator's certificates are revoked, so the next CRL shuts them out of new connections.
 */
public final class OperatorCredentials {
  /** Every operator CN starts with this (the dots make it no valid device id). */
  public static final String CN_PREFIX = "holdfast.operator.";
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

  private final Registry registry;
  private final FleetCa fleet;
  private final CertificateAuthority ca;
  private final Clock clock;
  private final SecureRandom random;

  public OperatorCredentials(Registry registry, FleetCa fleet, CertificateAuthority ca, Clock clock,
      SecureRandom random) {
    this.registry = registry;
    this.fleet = fleet;
    this.ca = ca;
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
  public Result<ServerCredentials, OperatorRefusal> issue(String name, OperatorRole role, Duration lifetime,
      String actor) throws RegistryException {
    String cn = cn(name);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Result<Instant, CaRefusal> notAfter = fleet.notAfter(now, lifetime);
    if (notAfter instanceof Result.Refused<Instant, CaRefusal> r) {
      return Result.refused(OperatorRefusal.LIFETIME, r.message());
    }
    Result<ServerCredentials, OperatorRefusal> issued = registry.write(tx -> {
      if (tx.certificates().of(CertificateRecord.Kind.OPERATOR, cn).stream().anyMatch(c -> isActive(c, now))) {
        return Result.refused(OperatorRefusal.EXISTS, "operator " + name
            + " exists already; run 'operators remove " + name + "' first to give it a new certificate");
      }
      KeyPair keys = P256.generate(random);
      X509Certificate leaf = fleet.sign(tx.certificates(), cn, Optional.of(role.unit()), keys.getPublic(), now,
          notAfter.ok().orElseThrow(), CertificateTemplates.Usage.DEVICE, List.of());
      tx.certificates().put(CertificateRecords.of(leaf, CertificateRecord.Kind.OPERATOR, cn));
      tx.audit().append(AuditEvent.of(now, actor, "operator.added", null, "operator " + name + ", role " + role.unit() + ", serial "
          + SerialNumbers.hex(leaf.getSerialNumber()) + ", until " + leaf.getNotAfter().toInstant()));
      return Result.ok(new ServerCredentials(keys.getPrivate(), List.of(leaf, fleet.issuing(), fleet.root())));
    });
    if (issued.isOk()) {
      Logger.info("issued operator certificate for {} until {}", cn, notAfter.ok().orElseThrow());
    }
    return issued;
  }

  /** The role in an operator certificate record. */
  public static OperatorRole role(CertificateRecord c) {
    try {
      return OperatorRole.of(Pem.certificate(c.der()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("certificate " + c.serial() + " in the registry does not decode", e);
    }
  }

  /**
   * The operator a client certificate belongs to, as the registry knows it now: its record must be
   * an operator's, the same certificate, neither revoked nor expired. Empty otherwise.
   */
  public Optional<CertificateRecord> active(X509Certificate cert) throws RegistryException {
    String serial = SerialNumbers.hex(cert.getSerialNumber());
    Instant now = clock.instant();
    byte[] der;
    try {
      der = cert.getEncoded();
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
    return registry.read(tx -> tx.certificates().find(serial)).filter(c -> c.kind() == CertificateRecord.Kind.OPERATOR)
        .filter(c -> java.util.Arrays.equals(c.der(), der)).filter(c -> isActive(c, now));
  }

  /** Every operator certificate ever issued, by name, then oldest first. */
  public List<CertificateRecord> list() throws RegistryException {
    return registry.read(tx -> tx.certificates().all()).stream()
        .filter(c -> c.kind() == CertificateRecord.Kind.OPERATOR)
        .sorted(Comparator.comparing(CertificateRecord::subject).thenComparing(CertificateRecord::notBefore)
            .thenComparing(CertificateRecord::serial))
        .toList();
  }

  /** Names of the operators whose certificate is neither revoked nor expired, sorted: the ACL's blocks. */
  public List<String> activeNames() throws RegistryException {
    Instant now = clock.instant();
    return list().stream().filter(c -> isActive(c, now)).map(OperatorCredentials::name).distinct().sorted().toList();
  }

  /**
   * Revokes every certificate of operator {@code name}; the result carries the new CRL, for the
   * caller to publish once this has committed.
   */
  public Result<Revocation, OperatorRefusal> remove(String name, String actor) throws RegistryException {
    String cn = cn(name);
    return registry.write(tx -> {
      Result<Revocation, CaRefusal> r = ca.revoke(tx, new RevokeRequest.OfSubject(CertificateRecord.Kind.OPERATOR,
          cn, actor));
      if (r instanceof Result.Refused<Revocation, CaRefusal>) {
        return Result.refused(OperatorRefusal.UNKNOWN_OPERATOR,
            "no operator " + name + " with a certificate to revoke; see 'operators list'");
      }
      Revocation done = r.ok().orElseThrow();
      tx.audit().append(AuditEvent.of(clock.instant(), actor, "operator.removed", null,
          "operator " + name + ", " + done.certificates().size() + " certificate(s) revoked"));
      return Result.ok(done);
    });
  }

  private static boolean isActive(CertificateRecord c, Instant now) {
    return c.state() == CertificateRecord.State.VALID && !c.expiredAt(now);
  }
}
