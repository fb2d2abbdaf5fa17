package dev.holdfast.provisioning.testing;

import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.registry.MapDbRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A fleet CA over a real registry in a temp directory, with named certificate fixtures. The clock
 * is moved to mint certificates in the past or future and always put back.
 */
public final class TestPki implements AutoCloseable {
  public final MutableClock clock;
  public final SecureRandom random;
  public final MapDbRegistry registry;
  public final CertificateAuthority ca;
  private final Path dir;

  private TestPki(Path dir, MutableClock clock, SecureRandom random, MapDbRegistry registry, CertificateAuthority ca) {
    this.dir = dir;
    this.clock = clock;
    this.random = random;
    this.registry = registry;
    this.ca = ca;
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
    CertificateAuthority.initialize(registry, "Test Fleet " + seed, clock, random, "test");
    return new TestPki(dir, clock, random, registry, CertificateAuthority.open(registry, settings, clock, random));
  }

  public Path dir() {
    return dir;
  }

  public IssuedCertificate validDeviceCert() throws Exception {
    return ca.issueDevice(Csrs.valid(random), Optional.empty(), "default", Duration.ofDays(30), "test");
  }

  public X509Certificate expiredDeviceCert() throws Exception {
    return issuedAt(clock.instant().minus(Duration.ofDays(60)), Duration.ofDays(30));
  }

  public X509Certificate notYetValidDeviceCert() throws Exception {
    return issuedAt(clock.instant().plus(Duration.ofDays(10)), Duration.ofDays(30));
  }

  /** A TLS server certificate from this CA: right issuer, wrong key usage for a device. */
  public X509Certificate wrongKeyUsageCert() throws Exception {
    return ca.serverCredentials("fixture.server", List.of("localhost"), "test").chain().get(0);
  }

  private X509Certificate issuedAt(Instant at, Duration lifetime) throws Exception {
    Instant real = clock.instant();
    clock.set(at);
    try {
      return ca.issueDevice(Csrs.valid(random), Optional.empty(), "default", lifetime, "test").leaf();
    } finally {
      clock.set(real);
    }
  }

  @Override
  public void close() {
    registry.close();
  }
}
