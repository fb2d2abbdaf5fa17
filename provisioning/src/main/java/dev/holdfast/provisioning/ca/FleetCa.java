package dev.holdfast.provisioning.ca;

import dev.holdfast.common.Result;
import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.ConfirmResponse;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.protocol.messages.RenewResponse;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.RevokedCertificate;
import dev.holdfast.provisioning.registry.Certificates;
import dev.holdfast.provisioning.registry.Registry;
import dev.holdfast.provisioning.registry.RegistryException;
import dev.holdfast.provisioning.registry.Secrets;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The fleet's CA material: the root, the issuing CA with its private key, and the command-signing
 * public key, created once by {@link #initialize} and kept in the registry's sealed secrets. After
 * {@link #load} the issuing key lives only in this object's memory: everything signed with it
 * (certificates, CRLs, enrollment responses) is signed here, and nothing else ever sees the key.
 */
public final class FleetCa {
  static final String ROOT_KEY = "ca.root.key";
  static final String ISSUING_KEY = "ca.issuing.key";
  static final String ROOT_CERT = "ca.root.cert";
  static final String ISSUING_CERT = "ca.issuing.cert";
  /** The sealed secret with the command-signing private key, made here, used by {@code credentials.CommandSigner}. */
  public static final String COMMAND_KEY = "command-signing.key";
  static final String COMMAND_PUBLIC = "command-signing.public";
  static final Duration ROOT_LIFETIME = Duration.ofDays(20 * 365);
  static final Duration ISSUING_LIFETIME = Duration.ofDays(10 * 365);
  /** Certificates are backdated a little so a device whose clock is slightly behind accepts them. */
  public static final Duration BACKDATE = Duration.ofMinutes(5);

  private final X509Certificate root;
  private final X509Certificate issuing;
  private final PrivateKey issuingKey;
  private final PublicKey commandKey;
  private final SecureRandom random;

  private FleetCa(X509Certificate root, X509Certificate issuing, PrivateKey issuingKey, PublicKey commandKey,
      SecureRandom random) {
    this.root = root;
    this.issuing = issuing;
    this.issuingKey = issuingKey;
    this.commandKey = commandKey;
    this.random = random;
  }

  /** What {@code init} made; all public. */
  public record Initialized(X509Certificate root, X509Certificate issuing, PublicKey commandSigningKey) {}

  /** Creates the root CA, the issuing CA and the command-signing key; refuses if they exist. */
  public static Result<Initialized, CaRefusal> initialize(Registry registry, String fleetName, Clock clock,
      SecureRandom random, String actor) throws RegistryException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    KeyPair rootKeys = P256.generate(random);
    KeyPair issuingKeys = P256.generate(random);
    KeyPair commandKeys = P256.generate(random);
    X509Certificate root = CertificateTemplates.sign(new CertificateTemplates.Spec(fleetName + " Root CA",
        rootKeys.getPublic(), SerialNumbers.random(random), now.minus(BACKDATE), now.plus(ROOT_LIFETIME),
        CertificateTemplates.Usage.ROOT_CA, List.of(), Optional.empty(), rootKeys.getPrivate()), random);
    X509Certificate issuing = CertificateTemplates.sign(new CertificateTemplates.Spec(fleetName + " Issuing CA",
        issuingKeys.getPublic(), SerialNumbers.random(random), now.minus(BACKDATE), now.plus(ISSUING_LIFETIME),
        CertificateTemplates.Usage.ISSUING_CA, List.of(), Optional.of(root), rootKeys.getPrivate()), random);
    return registry.write(tx -> {
      Secrets secrets = tx.secrets();
      if (secrets.find(ISSUING_KEY).isPresent()) {
        return Result.refused(CaRefusal.ALREADY_INITIALIZED, "the fleet CA already exists in this registry");
      }
      secrets.put(ROOT_KEY, CaKeys.toSecret(rootKeys.getPrivate()));
      secrets.put(ISSUING_KEY, CaKeys.toSecret(issuingKeys.getPrivate()));
      secrets.put(COMMAND_KEY, CaKeys.toSecret(commandKeys.getPrivate()));
      secrets.put(ROOT_CERT, Secret.wrap(CertificateRecords.der(root)));
      secrets.put(ISSUING_CERT, Secret.wrap(CertificateRecords.der(issuing)));
      secrets.put(COMMAND_PUBLIC, Secret.wrap(commandKeys.getPublic().getEncoded()));
      tx.certificates().put(CertificateRecords.of(root, CertificateRecord.Kind.ROOT_CA, fleetName + " Root CA"));
      tx.certificates().put(CertificateRecords.of(issuing, CertificateRecord.Kind.ISSUING_CA,
          fleetName + " Issuing CA"));
      tx.audit().append(AuditEvent.of(now, actor, "ca.initialized", null,
          "root " + SerialNumbers.hex(root.getSerialNumber()) + ", issuing "
              + SerialNumbers.hex(issuing.getSerialNumber())));
      return Result.ok(new Initialized(root, issuing, commandKeys.getPublic()));
    });
  }

  /** The CA of this registry; its issuing key stays in memory only. */
  public static Result<FleetCa, CaRefusal> load(Registry registry, SecureRandom random) throws RegistryException {
    return registry.read(tx -> {
      Secrets secrets = tx.secrets();
      Optional<Secret> key = secrets.find(ISSUING_KEY);
      Optional<Secret> rootDer = secrets.find(ROOT_CERT);
      Optional<Secret> issuingDer = secrets.find(ISSUING_CERT);
      Optional<Secret> commandDer = secrets.find(COMMAND_PUBLIC);
      if (key.isEmpty() || rootDer.isEmpty() || issuingDer.isEmpty() || commandDer.isEmpty()) {
        return Result.refused(CaRefusal.NOT_INITIALIZED,
            "no fleet CA in this data directory; run 'holdfast-provisioning init --dir DIR' first");
      }
      try {
        return Result.ok(new FleetCa(Pem.certificate(rootDer.get().bytes()), Pem.certificate(issuingDer.get().bytes()),
            CaKeys.fromSecret(key.get()),
            KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(commandDer.get().bytes())), random));
      } catch (GeneralSecurityException e) {
        throw new RegistryException(RegistryException.Reason.CORRUPT, "stored CA certificate does not decode", e);
      } finally {
        key.get().destroy();
      }
    });
  }

  public X509Certificate root() {
    return root;
  }

  public X509Certificate issuing() {
    return issuing;
  }

  /** Issuing CA then root. */
  public List<X509Certificate> chain() {
    return List.of(issuing, root);
  }

  public PublicKey commandSigningPublicKey() {
    return commandKey;
  }

  /**
   * When a certificate of {@code lifetime} issued at {@code now} ends, if the policy allows it: at
   * most {@link CaSettings#MAX_LEAF_LIFETIME}, and never past the issuing CA.
   */
  public Result<Instant, CaRefusal> notAfter(Instant now, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(CaSettings.MAX_LEAF_LIFETIME) > 0) {
      return Result.refused(CaRefusal.LIFETIME,
          "certificate lifetime must be between 1s and " + CaSettings.MAX_LEAF_LIFETIME.toDays() + " days");
    }
    Instant notAfter = now.plus(lifetime);
    if (notAfter.isAfter(issuing.getNotAfter().toInstant())) {
      return Result.refused(CaRefusal.LIFETIME, "a certificate valid until " + notAfter
          + " would outlive the issuing CA (" + issuing.getNotAfter().toInstant() + "); choose a shorter lifetime");
    }
    return Result.ok(notAfter);
  }

  /** A leaf signed by the issuing CA, with a random serial no certificate of {@code certificates} has. */
  public X509Certificate sign(Certificates certificates, String cn, PublicKey key, Instant now, Instant notAfter,
      CertificateTemplates.Usage usage, List<String> sans) throws RegistryException {
    return sign(certificates, cn, Optional.empty(), key, now, notAfter, usage, sans);
  }

  /** {@link #sign}, with {@code unit} as the subject's OU. */
  public X509Certificate sign(Certificates certificates, String cn, Optional<String> unit, PublicKey key, Instant now,
      Instant notAfter, CertificateTemplates.Usage usage, List<String> sans) throws RegistryException {
    BigInteger serial;
    do {
      serial = SerialNumbers.random(random);
    } while (certificates.find(SerialNumbers.hex(serial)).isPresent());
    return CertificateTemplates.sign(new CertificateTemplates.Spec(cn, key, serial, now.minus(BACKDATE), notAfter,
        usage, sans, Optional.of(issuing), issuingKey, unit), random);
  }

  /** The CRL of {@code certificates}' revocations, numbered {@code number}, valid for {@code validity}. */
  public X509CRL crl(Collection<RevokedCertificate> revoked, long number, Instant now, Duration validity) {
    return Crls.build(issuing, issuingKey, revoked, number, now.truncatedTo(ChronoUnit.SECONDS), validity,
        random);
  }

  /**
   * Signs an enrollment response with the issuing CA's key, adding the fleet's command-signing
   * public key. The chain must be the device's: leaf, issuing, root.
   */
  public EnrollResponse signEnrollResponse(String deviceId, List<X509Certificate> chain, String apiKeyId,
      byte[] apiKeySealed, Instant apiKeyExpiresAt, List<String> scopes, Instant issuedAt) {
    return EnrollResponse.signed(deviceId, chain, apiKeyId, apiKeySealed, apiKeyExpiresAt, scopes, commandKey,
        issuedAt, issuingKey, random);
  }

  /** Signs a rotation's renew answer with the issuing CA's key; the chain must be the device's. */
  public RenewResponse signRenewResponse(String requestId, String deviceId, List<X509Certificate> chain,
      String apiKeyId, byte[] apiKeySealed, Instant apiKeyExpiresAt, List<String> scopes, Instant issuedAt) {
    return RenewResponse.signed(requestId, deviceId, chain, apiKeyId, apiKeySealed, apiKeyExpiresAt, scopes, issuedAt,
        issuingKey, random);
  }

  /** Signs a rotation's confirm answer with the issuing CA's key. */
  public ConfirmResponse signConfirmResponse(String requestId, String deviceId, String revokedSerial,
      String revokedApiKeyId, Instant at) {
    return ConfirmResponse.signed(requestId, deviceId, revokedSerial, revokedApiKeyId, at, issuingKey, random);
  }

  @Override
  public String toString() {
    return "FleetCa[" + issuing.getSubjectX500Principal() + ", key redacted]";
  }
}
