package dev.holdfast.provisioning.ca;

import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.RegistryTx;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
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
 * The fleet CA over the registry: issues device and server certificates from the issuing CA,
 * revokes them and keeps the CRL current. The CA keys are read from the registry's sealed secrets
 * once, at {@link #load}, and live only in memory after that.
 */
public final class CertificateAuthority {
  static final String ROOT_KEY = "ca.root.key";
  static final String ISSUING_KEY = "ca.issuing.key";
  static final String ROOT_CERT = "ca.root.cert";
  static final String ISSUING_CERT = "ca.issuing.cert";
  static final String COMMAND_KEY = "command-signing.key";
  static final String COMMAND_PUBLIC = "command-signing.public";
  static final Duration ROOT_LIFETIME = Duration.ofDays(20 * 365);
  static final Duration ISSUING_LIFETIME = Duration.ofDays(10 * 365);
  /** Certificates are backdated a little so a device whose clock is slightly behind accepts them. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private final Registry registry;
  private final CaSettings settings;
  private final Clock clock;
  private final SecureRandom random;
  private final X509Certificate root;
  private final X509Certificate issuing;
  private final PrivateKey issuingKey;
  private final PublicKey commandKey;
  private final CrlListener crlListener;

  private CertificateAuthority(Registry registry, CaSettings settings, Clock clock, SecureRandom random,
      X509Certificate root, X509Certificate issuing, PrivateKey issuingKey, PublicKey commandKey,
      CrlListener crlListener) {
    this.registry = registry;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.root = root;
    this.issuing = issuing;
    this.issuingKey = issuingKey;
    this.commandKey = commandKey;
    this.crlListener = crlListener;
  }

  /** Told after a new CRL is in place at the configured path (e.g. to make the broker re-read it). */
  @FunctionalInterface
  public interface CrlListener {
    void published(Path crl);
  }

  /** This CA, telling {@code listener} about every CRL it writes to the configured path. */
  public CertificateAuthority withCrlListener(CrlListener listener) {
    return new CertificateAuthority(registry, settings, clock, random, root, issuing, issuingKey, commandKey, listener);
  }

  public CaSettings settings() {
    return settings;
  }

  /** What {@code init} made; all public. */
  public record Initialized(X509Certificate root, X509Certificate issuing, PublicKey commandSigningKey) {}

  /** Creates the root CA, the issuing CA and the command-signing key; refuses if they exist. */
  public static Initialized initialize(Registry registry, String fleetName, Clock clock, SecureRandom random,
      String actor) throws RegistryException, CaException {
    return CaSetup.initialize(registry, fleetName, clock, random, actor);
  }

  /** Loads the CA from the registry; its private key stays in memory only. */
  public static CertificateAuthority open(Registry registry, CaSettings settings, Clock clock, SecureRandom random)
      throws RegistryException, CaException {
    CertificateAuthority ca = registry.read(tx -> {
      Optional<Secret> key = tx.secret(ISSUING_KEY);
      Optional<Secret> rootDer = tx.secret(ROOT_CERT);
      Optional<Secret> issuingDer = tx.secret(ISSUING_CERT);
      Optional<Secret> commandDer = tx.secret(COMMAND_PUBLIC);
      if (key.isEmpty() || rootDer.isEmpty() || issuingDer.isEmpty() || commandDer.isEmpty()) {
        return null;
      }
      try {
        return new CertificateAuthority(registry, settings, clock, random, Pem.certificate(rootDer.get().bytes()),
            Pem.certificate(issuingDer.get().bytes()), CaKeys.fromSecret(key.get()),
            java.security.KeyFactory.getInstance("EC")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(commandDer.get().bytes())), crl -> { });
      } catch (GeneralSecurityException e) {
        throw new RegistryException(RegistryException.Reason.CORRUPT, "stored CA certificate does not decode", e);
      } finally {
        key.get().destroy();
      }
    });
    if (ca == null) {
      throw new CaException(CaException.Reason.NOT_INITIALIZED,
          "no fleet CA in this data directory; run 'holdfast-provisioning init --dir DIR' first");
    }
    return ca;
  }

  public X509Certificate root() {
    return root;
  }

  public X509Certificate issuing() {
    return issuing;
  }

  /** Issuing CA then root: what a device or the broker needs besides a leaf. */
  public List<X509Certificate> caChain() {
    return List.of(issuing, root);
  }

  public PublicKey commandSigningPublicKey() {
    return commandKey;
  }

  /**
   * Signs an enrollment response with the issuing CA's key (which never leaves this class), adding
   * the fleet's command-signing public key. The chain must be the device's: leaf, issuing, root.
   */
  public EnrollResponse signEnrollResponse(String deviceId, List<X509Certificate> chain, String apiKeyId,
      byte[] apiKeySealed, Instant apiKeyExpiresAt, List<String> scopes, Instant issuedAt) {
    return EnrollResponse.signed(deviceId, chain, apiKeyId, apiKeySealed, apiKeyExpiresAt, scopes, commandKey,
        issuedAt, issuingKey, random);
  }

  /**
   * Signs an operator command with the command-signing key, read from the vault for this one
   * signature and dropped again (it is used rarely, so it is not kept in memory).
   */
  public Command signCommand(String id, String deviceId, String type, Instant issuedAt, Instant expiresAt)
      throws RegistryException {
    Secret der = registry.read(tx -> tx.secret(COMMAND_KEY)).orElseThrow(() -> new RegistryException(
        RegistryException.Reason.CORRUPT, "the command-signing key is missing from the registry", null));
    try {
      return Command.signed(id, deviceId, type, issuedAt, expiresAt, CaKeys.fromSecret(der), random);
    } finally {
      der.destroy();
    }
  }

  /**
   * Issues a device certificate from a CSR. The subject is the device id chosen here (or given by
   * the operator for an existing or pre-named device), never anything from the CSR.
   *
   * @param deviceId empty: assign a new random id
   */
  public IssuedCertificate issueDevice(byte[] csr, Optional<String> deviceId, String profile, Duration lifetime,
      String actor) throws CsrRejectedException, CaException, RegistryException {
    PublicKey key = CsrPolicy.check(csr);
    if (deviceId.isPresent()) {
      DeviceIds.check(deviceId.get());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = checkedNotAfter(now, lifetime);
    IssuedCertificate issued = registry.write(tx -> {
      String id = deviceId.isPresent() ? deviceId.get() : newDeviceId(tx);
      Optional<Device> existing = tx.device(id);
      if (existing.isPresent() && existing.get().state() == Device.State.REVOKED) {
        return null;
      }
      return issue(tx, id, existing, key, profile, now, notAfter, actor);
    });
    if (issued == null) {
      throw new CaException(CaException.Reason.POLICY,
          "device " + deviceId.orElseThrow() + " is revoked; enroll it again under a new id");
    }
    Logger.info("issued certificate {} for device {} until {}", issued.serial(), issued.deviceId(), notAfter);
    return issued;
  }

  /**
   * Issues the first certificate of a new device {@code deviceId} (see {@link #newDeviceId}) inside
   * the caller's transaction, so that enrollment can make the device, its certificate and its key
   * all or nothing. The CSR's key must already have passed {@link CsrPolicy#check}.
   */
  public IssuedCertificate issueNewDevice(RegistryTx tx, String deviceId, PublicKey csrKey, String profile,
      Duration lifetime, String actor) throws CaException, RegistryException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = checkedNotAfter(now, lifetime);
    if (tx.device(deviceId).isPresent()) {
      throw new CaException(CaException.Reason.POLICY, "device " + deviceId + " exists already");
    }
    return issue(tx, deviceId, Optional.empty(), csrKey, profile, now, notAfter, actor);
  }

  private IssuedCertificate issue(RegistryTx tx, String id, Optional<Device> existing, PublicKey key, String profile,
      Instant now, Instant notAfter, String actor) throws RegistryException {
    X509Certificate leaf = sign(tx, id, key, now, notAfter, CertificateTemplates.Usage.DEVICE, List.of());
    String serial = SerialNumbers.hex(leaf.getSerialNumber());
    tx.put(record(leaf, CertificateRecord.Kind.DEVICE, id));
    tx.put(existing.orElse(Device.enrolled(id, profile, now)).withCurrentSerial(serial));
    tx.append(AuditEvent.of(now, actor, "cert.issued", id, "serial " + serial + ", until " + notAfter));
    return new IssuedCertificate(id, serial, List.of(leaf, issuing, root));
  }

  /** The CN of the provisioning service's own MQTT client certificate (the dot: never a device id). */
  public static final String SERVICE_CN = "holdfast.provisioning";

  /**
   * The TLS credentials of a server (the relay, the broker) named {@code names}: the stored ones
   * while they still cover those names and have more than a third of their lifetime left, else new
   * ones, stored sealed under {@code secretName}.
   */
  public ServerCredentials serverCredentials(String secretName, List<String> names, String actor)
      throws RegistryException {
    return credentials(secretName, names.get(0), names, CertificateTemplates.Usage.SERVER, actor);
  }

  /**
   * The provisioning service's MQTT client credentials (CN {@value #SERVICE_CN}, clientAuth), kept
   * in the registry and renewed like {@link #serverCredentials}.
   */
  public ServerCredentials serviceClientCredentials(String secretName, String actor) throws RegistryException {
    return credentials(secretName, SERVICE_CN, List.of(), CertificateTemplates.Usage.DEVICE, actor);
  }

  private ServerCredentials credentials(String secretName, String cn, List<String> names,
      CertificateTemplates.Usage usage, String actor) throws RegistryException {
    return new ServiceCredentialStore(registry, settings, clock, random, issuing, root, this::sign)
        .get(secretName, cn, names, usage, actor);
  }

  /** Revokes one certificate and rewrites the CRL if a path is configured. */
  public CertificateRecord revoke(String serial, String actor) throws CaException, RegistryException, IOException {
    String key = SerialNumbers.hex(SerialNumbers.parse(serial));
    Instant now = clock.instant();
    Revocation r = registry.write(tx -> {
      Optional<CertificateRecord> c = tx.certificate(key);
      if (c.isEmpty()) {
        return null;
      }
      List<CertificateRecord> done = revokeAll(tx, List.of(c.get()), now, actor);
      return new Revocation(done, crl(tx, now));
    });
    if (r == null) {
      throw new CaException(CaException.Reason.UNKNOWN_CERTIFICATE, "no certificate with serial " + key);
    }
    publish(r.crl());
    return r.revoked().isEmpty() ? registry.read(tx -> tx.certificate(key).orElseThrow()) : r.revoked().get(0);
  }

  /** Revokes every certificate of a device and marks the device revoked. */
  public List<CertificateRecord> revokeDevice(String deviceId, String actor)
      throws CaException, RegistryException, IOException {
    Instant now = clock.instant();
    Revocation r = registry.write(tx -> {
      Optional<Device> device = tx.device(deviceId);
      if (device.isEmpty()) {
        return null;
      }
      List<CertificateRecord> mine = tx.certificates().stream()
          .filter(c -> c.kind() == CertificateRecord.Kind.DEVICE && c.subject().equals(deviceId)).toList();
      List<CertificateRecord> done = revokeAll(tx, mine, now, actor);
      tx.put(device.get().withState(Device.State.REVOKED));
      tx.append(AuditEvent.of(now, actor, "device.revoked", deviceId, done.size() + " certificate(s) revoked"));
      return new Revocation(done, crl(tx, now));
    });
    if (r == null) {
      throw new CaException(CaException.Reason.UNKNOWN_DEVICE, "no device " + deviceId);
    }
    publish(r.crl());
    return r.revoked();
  }

  private record Revocation(List<CertificateRecord> revoked, X509CRL crl) {}

  private static List<CertificateRecord> revokeAll(RegistryTx tx, List<CertificateRecord> certs, Instant now,
      String actor) throws RegistryException {
    List<CertificateRecord> done = new ArrayList<>();
    for (CertificateRecord c : certs) {
      if (c.state() == CertificateRecord.State.REVOKED) {
        continue;
      }
      CertificateRecord revoked = c.revoked(now);
      tx.put(revoked);
      tx.append(AuditEvent.of(now, actor, "cert.revoked",
          c.kind() == CertificateRecord.Kind.DEVICE ? c.subject() : null, "serial " + c.serial()));
      done.add(revoked);
    }
    return done;
  }

  /** A fresh CRL (new CRL number), without writing it anywhere. */
  public X509CRL currentCrl() throws RegistryException {
    Instant now = clock.instant();
    return registry.write(tx -> crl(tx, now));
  }

  /** A fresh CRL written to the configured path; empty when no path is configured. */
  public Optional<Path> refreshCrl() throws RegistryException, IOException {
    if (settings.crlPath().isEmpty()) {
      return Optional.empty();
    }
    publish(currentCrl());
    return settings.crlPath();
  }

  /**
   * Rewrites the CRL at the configured path when the one there is missing, unreadable, not ours,
   * or has less than half of its validity left ({@link Crls#refreshDue}); true when it wrote one.
   */
  public boolean refreshCrlIfDue() throws RegistryException, IOException {
    if (settings.crlPath().isEmpty()) {
      return false;
    }
    Optional<X509CRL> current = CrlFiles.read(settings.crlPath().get(), issuing);
    if (current.isPresent() && !Crls.refreshDue(current.get(), clock.instant())) {
      return false;
    }
    publish(currentCrl());
    return true;
  }

  private X509CRL crl(RegistryTx tx, Instant now) throws RegistryException {
    long number = tx.nextCounter("crl-number");
    return Crls.build(issuing, issuingKey, tx.certificates(), number, now.truncatedTo(ChronoUnit.SECONDS),
        settings.crlValidity(), random);
  }

  private void publish(X509CRL crl) throws IOException {
    if (settings.crlPath().isPresent()) {
      CrlFiles.publish(settings.crlPath().get(), crl, issuing);
      Logger.info("CRL {} written to {}, valid until {}", Crls.number(crl), settings.crlPath().get(),
          crl.getNextUpdate().toInstant());
      crlListener.published(settings.crlPath().get());
    }
  }

  /** Checks device certificates against this CA and the registry's revocations. */
  public DeviceCertificateVerifier verifier() {
    return new DeviceCertificateVerifier(root, issuing, serial -> registry.read(
        tx -> tx.certificate(serial).map(c -> c.state() == CertificateRecord.State.REVOKED).orElse(false)));
  }

  private Instant checkedNotAfter(Instant now, Duration lifetime) throws CaException {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(CaSettings.MAX_LEAF_LIFETIME) > 0) {
      throw new CaException(CaException.Reason.POLICY,
          "certificate lifetime must be between 1s and " + CaSettings.MAX_LEAF_LIFETIME.toDays() + " days");
    }
    Instant notAfter = now.plus(lifetime);
    if (notAfter.isAfter(issuing.getNotAfter().toInstant())) {
      throw new CaException(CaException.Reason.POLICY,
          "a certificate valid until " + notAfter + " would outlive the issuing CA (" + issuing.getNotAfter().toInstant()
              + "); choose a shorter lifetime");
    }
    return notAfter;
  }

  private X509Certificate sign(RegistryTx tx, String cn, PublicKey key, Instant now, Instant notAfter,
      CertificateTemplates.Usage usage, List<String> sans) throws RegistryException {
    BigInteger serial;
    do {
      serial = SerialNumbers.random(random);
    } while (tx.certificate(SerialNumbers.hex(serial)).isPresent());
    return CertificateTemplates.sign(new CertificateTemplates.Spec(cn, key, serial, now.minus(BACKDATE), notAfter,
        usage, sans, Optional.of(issuing), issuingKey), random);
  }

  /** A random device id no device of the registry has. */
  public String newDeviceId(RegistryTx tx) throws RegistryException {
    String id;
    do {
      id = DeviceIds.random(random);
    } while (tx.device(id).isPresent());
    return id;
  }

  static CertificateRecord record(X509Certificate c, CertificateRecord.Kind kind, String subject) {
    return new CertificateRecord(SerialNumbers.hex(c.getSerialNumber()), kind, subject,
        c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), CertificateRecord.State.VALID, Optional.empty(),
        encoded(c));
  }

  static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("certificate does not encode", e);
    }
  }

  static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + issuing.getSubjectX500Principal() + ", key redacted]";
  }
}
