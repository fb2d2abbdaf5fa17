package dev.holdfast.provisioning.testing;

import dev.holdfast.common.Result;
import dev.holdfast.provisioning.broker.BatchedSync;
import dev.holdfast.provisioning.broker.BrokerReloader;
import dev.holdfast.provisioning.broker.BrokerSync;
import dev.holdfast.provisioning.broker.CrlFiles;
import dev.holdfast.provisioning.broker.CrlPublisher;
import dev.holdfast.provisioning.ca.CaRefusal;
import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.CsrPolicy;
import dev.holdfast.provisioning.ca.DefaultCertificateAuthority;
import dev.holdfast.provisioning.ca.DeviceCertificateVerifier;
import dev.holdfast.provisioning.ca.FleetCa;
import dev.holdfast.provisioning.ca.IssueRequest;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.ca.Revocation;
import dev.holdfast.provisioning.ca.RevokeRequest;
import dev.holdfast.provisioning.credentials.ServiceCredentials;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A fleet CA over a real registry in a temp directory, with named certificate fixtures. The clock
 * is moved to mint certificates in the past or future and always put back.
 */
public final class TestPki implements AutoCloseable {
  public final MutableClock clock;
  public final SecureRandom random;
  public final MapDbRegistry registry;
  public final CaSettings settings;
  public final FleetCa fleet;
  public final CertificateAuthority ca;
  public final ServiceCredentials services;
  private final Path dir;

  private TestPki(Path dir, MutableClock clock, SecureRandom random, MapDbRegistry registry, CaSettings settings,
      FleetCa fleet) {
    this.dir = dir;
    this.clock = clock;
    this.random = random;
    this.registry = registry;
    this.settings = settings;
    this.fleet = fleet;
    this.ca = new DefaultCertificateAuthority(fleet, settings, clock);
    this.services = new ServiceCredentials(registry, fleet, settings, clock, random);
  }

  public static TestPki create(Path dir, long seed) throws Exception {
    return create(dir, seed, CaSettings.defaults());
  }

  public static TestPki create(Path dir, long seed, CaSettings settings) throws Exception {
    return create(dir, seed, settings, MutableClock.atStart());
  }

  /**
   * A CA whose clock starts at the real time: the JDK's TLS client checks certificates against the
   * system clock, so a PKI used for a real handshake cannot live in the fixed test past.
   */
  public static TestPki createForTls(Path dir, long seed) throws Exception {
    return create(dir, seed, CaSettings.defaults(),
        new MutableClock(java.time.Clock.systemUTC().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
  }

  public static TestPki create(Path dir, long seed, CaSettings settings, MutableClock clock) throws Exception {
    dev.holdfast.vault.SecureFiles.createPrivateDirectories(dir); // a data directory: owner only, or the vault refuses it
    SecureRandom random = TestRandom.seeded(seed);
    MapDbRegistry registry = TestRegistries.create(dir, random);
    FleetCa.initialize(registry, "Test Fleet " + seed, clock, random, "test").orElseThrow(TestPki::failed);
    return new TestPki(dir, clock, random, registry, settings,
        FleetCa.load(registry, random).orElseThrow(TestPki::failed));
  }

  static AssertionError failed(Result.Refused<?, ?> refused) {
    return new AssertionError("refused " + refused.reason() + ": " + refused.message());
  }

  public Path dir() {
    return dir;
  }

  public X509Certificate root() {
    return fleet.root();
  }

  public X509Certificate issuing() {
    return fleet.issuing();
  }

  /** Issues a certificate for {@code csr} (a new device unless {@code deviceId} is given), as the CLI does. */
  public Result<IssuedCertificate, CaRefusal> issue(byte[] csr, Optional<String> deviceId, Duration lifetime)
      throws Exception {
    var key = CsrPolicy.check(csr).orElseThrow(TestPki::failed);
    return registry.write(tx -> ca.issue(tx, new IssueRequest(deviceId.isPresent() ? deviceId.get()
        : tx.devices().newId(random), key, "default", lifetime, "test")));
  }

  public IssuedCertificate validDeviceCert() throws Exception {
    return issue(Csrs.valid(random), Optional.empty(), Duration.ofDays(30)).orElseThrow(TestPki::failed);
  }

  public Result<Revocation, CaRefusal> revoke(RevokeRequest request) throws Exception {
    return registry.write(tx -> ca.revoke(tx, request));
  }

  /** Revokes one certificate; fails the test if the CA refuses. */
  public Revocation revokeSerial(String serial) throws Exception {
    return revoke(new RevokeRequest.BySerial(serial, "test")).orElseThrow(TestPki::failed);
  }

  /** A fresh CRL (the next CRL number). */
  public X509CRL crl() throws Exception {
    return registry.write(ca::crl);
  }

  /** Publishes CRLs to {@code settings.crlPath()}, telling {@code broker} (its pid file) to reload. */
  public CrlPublisher crlPublisher(BrokerReloader broker) {
    return new CrlPublisher(settings.crlPath(), issuing(), clock, broker::hangup);
  }

  /**
   * What {@code serve} gives rotations: the CRL rewritten at {@code settings.crlPath()} (when set)
   * and {@code broker} signalled, in rounds run at once on the calling thread.
   */
  public BatchedSync batchedSync(BrokerReloader broker) {
    return batchedSync(broker, QueuedScheduler.inline());
  }

  /** {@link #batchedSync(BrokerReloader)} with its rounds run on {@code rounds}, no rest between them. */
  public BatchedSync batchedSync(BrokerReloader broker, ScheduledExecutorService rounds) {
    BrokerSync.Files files = () -> {
      if (settings.crlPath().isEmpty()) {
        return false;
      }
      CrlFiles.publish(settings.crlPath().get(), registry.write(ca::crl), issuing());
      return true;
    };
    return new BatchedSync(new BrokerSync(registry, broker::hangup, Optional.empty(), clock), files, rounds,
        System::nanoTime, 0, "test revocations");
  }

  public DeviceCertificateVerifier verifier() {
    return new DeviceCertificateVerifier(root(), issuing(), serial -> registry.read(tx -> tx.certificates().find(serial)
        .map(c -> c.state() == CertificateRecord.State.REVOKED).orElse(false)));
  }

  public X509Certificate expiredDeviceCert() throws Exception {
    return issuedAt(clock.instant().minus(Duration.ofDays(60)), Duration.ofDays(30));
  }

  public X509Certificate notYetValidDeviceCert() throws Exception {
    return issuedAt(clock.instant().plus(Duration.ofDays(10)), Duration.ofDays(30));
  }

  /** A TLS server certificate from this CA: right issuer, wrong key usage for a device. */
  public X509Certificate wrongKeyUsageCert() throws Exception {
    return services.server("fixture.server", List.of("localhost"), "test").chain().get(0);
  }

  private X509Certificate issuedAt(Instant at, Duration lifetime) throws Exception {
    Instant real = clock.instant();
    clock.set(at);
    try {
      return issue(Csrs.valid(random), Optional.empty(), lifetime).orElseThrow(TestPki::failed).leaf();
    } finally {
      clock.set(real);
    }
  }

  @Override
  public void close() {
    registry.close();
  }
}
