package dev.holdfast.testkit;

import dev.holdfast.testkit.Certs.Issuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small fleet PKI for tests: root, issuing CA, a broker certificate for 127.0.0.1/localhost, device
 * and service client certificates, a CRL, and an unrelated second CA. On creation it writes the
 * broker's files (0600 PEM, plus a copy of the shipped ACL) into its directory; see {@link #brokerFiles()}.
 */
public final class TestPki {
  /** The provisioning service's certificate CN, and so its MQTT user name. */
  public static final String SERVICE_CN = "holdfast.provisioning";
  static final Duration LIFETIME = Duration.ofDays(30);
  static final Duration CRL_LIFETIME = Duration.ofDays(1);

  private final Path dir;
  private final Clock clock;
  private final Certs certs;
  private final X509Certificate root;
  private final Issuer issuing;
  private final Issuer otherCa;
  private final BrokerFiles files;
  private final Path rootFile;
  private final Set<BigInteger> revoked = new LinkedHashSet<>();
  private long crlNumber;

  private TestPki(Path dir, Clock clock, SecureRandom random) {
    this.dir = dir;
    this.clock = clock;
    this.certs = new Certs(random);
    Instant now = clock.instant().minus(Duration.ofMinutes(5));
    KeyPair rootKey = certs.ecKey();
    root = certs.ca("Holdfast Test Root", rootKey, null, now, now.plus(LIFETIME.multipliedBy(2)));
    KeyPair issuingKey = certs.ecKey();
    X509Certificate issuingCert = certs.ca("Holdfast Test Issuing CA", issuingKey,
        Issuer.of(root, rootKey.getPrivate()), now, now.plus(LIFETIME.multipliedBy(2)));
    issuing = Issuer.of(issuingCert, issuingKey.getPrivate());
    KeyPair otherKey = certs.ecKey();
    otherCa = Issuer.of(certs.ca("Unrelated Test Root", otherKey, null, now, now.plus(LIFETIME)), otherKey.getPrivate());
    Credentials server = issue("localhost", issuing, now, now.plus(LIFETIME), true);
    files = new BrokerFiles(
        Pem.write(dir.resolve("ca-chain.pem"), Pem.encode(issuingCert, root)),
        Pem.write(dir.resolve("server.pem"), Pem.encode(server.chain().toArray())),
        Pem.write(dir.resolve("server.key"), Pem.encode(server.key())),
        dir.resolve("crl.pem"),
        Pem.write(dir.resolve("holdfast.acl"), read(ShippedFiles.acl())));
    rootFile = Pem.write(dir.resolve("root.pem"), Pem.encode(root));
    writeCrl(clock.instant().minus(Duration.ofMinutes(5)), clock.instant().plus(CRL_LIFETIME));
  }

  /** A PKI in {@code dir} (created if missing) on the system clock. */
  public static TestPki create(Path dir) {
    return create(dir, Clock.systemUTC(), new SecureRandom());
  }

  public static TestPki create(Path dir, Clock clock, SecureRandom random) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return new TestPki(dir, clock, random);
  }

  /** The files a {@link Mosquitto} needs; the ACL is this PKI's own copy of the shipped one. */
  public BrokerFiles brokerFiles() {
    return files;
  }

  public Path directory() {
    return dir;
  }

  public X509Certificate root() {
    return root;
  }

  public X509Certificate issuingCa() {
    return issuing.certificate();
  }

  /** {@code root.pem}: the fleet root alone, as a device pins it. */
  public Path rootFile() {
    return rootFile;
  }

  /**
   * Certifies a key made elsewhere (e.g. in a device's vault) as a device certificate, CN =
   * {@code deviceId}, valid now for 30 days. Returns the chain: leaf, then the issuing CA.
   */
  public List<X509Certificate> certify(String deviceId, PublicKey key) {
    Instant now = clock.instant().minus(Duration.ofMinutes(5));
    return List.of(certs.leaf(deviceId, key, issuing, now, now.plus(LIFETIME), false), issuing.certificate());
  }

  /** A fresh device identity: CN = {@code deviceId}, clientAuth, valid now for 30 days. */
  public Credentials device(String deviceId) {
    Instant now = clock.instant().minus(Duration.ofMinutes(5));
    return issue(deviceId, issuing, now, now.plus(LIFETIME), false);
  }

  /** A device identity with the given validity (for expired or not-yet-valid fixtures). */
  public Credentials device(String deviceId, Instant notBefore, Instant notAfter) {
    return issue(deviceId, issuing, notBefore, notAfter, false);
  }

  /** A device identity whose certificate expired an hour ago. */
  public Credentials expiredDevice(String deviceId) {
    Instant now = clock.instant();
    return device(deviceId, now.minus(LIFETIME), now.minus(Duration.ofHours(1)));
  }

  /** The provisioning service's client identity (CN {@value #SERVICE_CN}). */
  public Credentials service() {
    return device(SERVICE_CN);
  }

  /** A well-formed identity for {@code cn} from a CA the fleet does not know. */
  public Credentials signedByAnotherCa(String cn) {
    Instant now = clock.instant().minus(Duration.ofMinutes(5));
    return issue(cn, otherCa, now, now.plus(LIFETIME), false);
  }

  /** Adds the certificates to the CRL and rewrites it (valid for a day); the broker needs a {@link Mosquitto#hangup()}. */
  public void revoke(Credentials... who) {
    for (Credentials c : who) {
      revoked.add(c.serial());
    }
    writeCrl(clock.instant().minus(Duration.ofMinutes(5)), clock.instant().plus(CRL_LIFETIME));
  }

  /** Rewrites {@code crl.pem} atomically with the revoked serials so far and the given dates. */
  public X509CRL writeCrl(Instant thisUpdate, Instant nextUpdate) {
    X509CRL crl = certs.crl(issuing, revoked, thisUpdate, nextUpdate, ++crlNumber);
    Pem.write(files.crl(), Pem.encode(crl));
    return crl;
  }

  /** For a Paho client presenting {@code who}, trusting the fleet root only. */
  public SSLSocketFactory socketFactory(Credentials who) {
    return TlsFactories.client(who, root);
  }

  /**
   * As {@link #socketFactory(Credentials)} ({@code who} null: no certificate), limited to the given TLS
   * versions ({@code "TLSv1.2"}). Note that a client whose certificate the broker refuses usually
   * sees only a reset or broken pipe, not the TLS alert: assert on the broker log for the reason.
   */
  public SSLSocketFactory socketFactory(Credentials who, String... protocols) {
    return new ClientSockets(TlsFactories.client(who, root), protocols);
  }

  /** For a client presenting no certificate, trusting the fleet root only. */
  public SSLSocketFactory anonymousSocketFactory() {
    return TlsFactories.client(null, root);
  }

  @Override
  public String toString() {
    return "TestPki[" + dir + "]";
  }

  private Credentials issue(String cn, Issuer by, Instant from, Instant to, boolean server) {
    KeyPair key = certs.ecKey();
    X509Certificate leaf = certs.leaf(cn, key.getPublic(), by, from, to, server);
    List<X509Certificate> chain = new ArrayList<>(List.of(leaf, by.certificate()));
    return new Credentials(cn, key.getPrivate(), chain);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
