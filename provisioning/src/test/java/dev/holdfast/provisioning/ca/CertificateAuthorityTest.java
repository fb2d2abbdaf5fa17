package dev.holdfast.provisioning.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  @TempDir Path dir;
  TestPki pki;

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(dir.resolve("fleet"), 1);
  }

  @AfterEach
  void tearDown() {
    pki.close();
  }

  @Test
  void issuesACertificateWhoseSubjectIsTheAssignedDeviceIdNotTheCsrSubject() throws Exception {
    IssuedCertificate issued = pki.validDeviceCert();

    assertThat(issued.deviceId()).matches("dev-[0-9a-z]{16}");
    assertThat(issued.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=" + issued.deviceId());
    assertThat(issued.leaf().getSubjectX500Principal().getName()).doesNotContain("root");
    assertThat(pki.registry.read(tx -> tx.device(issued.deviceId())).orElseThrow().currentSerial())
        .contains(issued.serial());
  }

  @Test
  void issuesAClientAuthCertificateThatChainsToTheRootWithTheRequestedLifetime() throws Exception {
    IssuedCertificate issued = pki.ca.issueDevice(Csrs.valid(pki.random), Optional.of("pump-7"), "default",
        Duration.ofDays(7), "test");

    X509Certificate leaf = issued.leaf();
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(pki.clock.instant().plus(Duration.ofDays(7)));
    assertThat(issued.chain()).hasSize(3);
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(pki.ca.root(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(pki.clock.instant()));
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(issued.chain().subList(0, 2)), params);
  }

  @Test
  void usesRandom128BitSerialsThatNeverRepeat() throws Exception {
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      BigInteger s = pki.validDeviceCert().leaf().getSerialNumber();
      assertThat(s.signum()).isPositive();
      assertThat(s.bitLength()).isLessThanOrEqualTo(128).isGreaterThan(100);
      serials.add(s);
    }
    assertThat(serials).hasSize(20);
  }

  @Test
  void refusesACsrWhoseSignatureDoesNotProvePossessionOfItsKey() {
    assertThatThrownBy(() -> pki.ca.issueDevice(Csrs.withoutProofOfPossession(pki.random), Optional.empty(),
        "default", Duration.ofDays(1), "test"))
        .isInstanceOfSatisfying(CsrRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(CsrRejectedException.Reason.BAD_SIGNATURE));
  }

  @Test
  void refusesCsrsWithKeysOtherThanP256() {
    for (byte[] csr : List.of(Csrs.withKeyOnP384(pki.random), Csrs.withRsaKey(pki.random))) {
      assertThatThrownBy(() -> CsrPolicy.check(csr))
          .isInstanceOfSatisfying(CsrRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(CsrRejectedException.Reason.KEY_TYPE));
    }
  }

  @Test
  void refusesGarbageAsAMalformedCsrAndAcceptsPem() throws Exception {
    assertThatThrownBy(() -> CsrPolicy.check("hello".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOfSatisfying(CsrRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(CsrRejectedException.Reason.MALFORMED));
    byte[] pem = Pem.encode("CERTIFICATE REQUEST", Csrs.valid(pki.random)).getBytes(StandardCharsets.US_ASCII);
    assertThat(CsrPolicy.check(pem).getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void refusesALifetimeBeyondThePolicyAndAnInvalidDeviceId() {
    assertThatThrownBy(() -> pki.ca.issueDevice(Csrs.valid(pki.random), Optional.empty(), "default",
        Duration.ofDays(5000), "test"))
        .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.reason()).isEqualTo(CaException.Reason.POLICY));
    assertThatThrownBy(() -> pki.ca.issueDevice(Csrs.valid(pki.random), Optional.of("a/#"), "default",
        Duration.ofDays(1), "test"))
        .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.reason()).isEqualTo(CaException.Reason.POLICY));
  }

  @Test
  void listsARevokedSerialInTheNextCrlSignedByTheIssuingCa() throws Exception {
    IssuedCertificate kept = pki.validDeviceCert();
    IssuedCertificate revoked = pki.validDeviceCert();

    pki.ca.revoke(revoked.serial(), "test");
    X509CRL crl = pki.ca.currentCrl();

    crl.verify(pki.ca.issuing().getPublicKey());
    assertThat(crl.isRevoked(revoked.leaf())).isTrue();
    assertThat(crl.isRevoked(kept.leaf())).isFalse();
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(pki.clock.instant().plus(Duration.ofDays(7)));
  }

  @Test
  void rewritesTheConfiguredCrlFileOnEveryRevocationReadableByTheBroker() throws Exception {
    Path crlPath = dir.resolve("crl.pem");
    try (TestPki withCrl = TestPki.create(dir.resolve("with-crl"), 2,
        new CaSettings(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(7), Optional.of(crlPath)))) {
      IssuedCertificate a = withCrl.validDeviceCert();
      IssuedCertificate b = withCrl.validDeviceCert();

      withCrl.ca.revoke(a.serial(), "test");
      X509CRL first = Crls.parse(Pem.decodeAll(Files.readString(crlPath), "X509 CRL").get(0));
      withCrl.ca.revokeDevice(b.deviceId(), "test");
      X509CRL second = Crls.parse(Pem.decodeAll(Files.readString(crlPath), "X509 CRL").get(0));

      assertThat(first.isRevoked(a.leaf())).isTrue();
      assertThat(first.isRevoked(b.leaf())).isFalse();
      assertThat(second.isRevoked(a.leaf())).isTrue();
      assertThat(second.isRevoked(b.leaf())).isTrue();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(crlPath))).isEqualTo("rw-r--r--");
      assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
      assertThat(withCrl.registry.read(tx -> tx.device(b.deviceId())).orElseThrow().state())
          .isEqualTo(Device.State.REVOKED);
    }
  }

  @Test
  void refusesToIssueForARevokedDeviceAndToRevokeAnUnknownSerial() throws Exception {
    IssuedCertificate issued = pki.validDeviceCert();
    pki.ca.revokeDevice(issued.deviceId(), "test");

    assertThatThrownBy(() -> pki.ca.issueDevice(Csrs.valid(pki.random), Optional.of(issued.deviceId()), "default",
        Duration.ofDays(1), "test"))
        .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.reason()).isEqualTo(CaException.Reason.POLICY));
    assertThatThrownBy(() -> pki.ca.revoke("abcdef", "test"))
        .isInstanceOfSatisfying(CaException.class,
            e -> assertThat(e.reason()).isEqualTo(CaException.Reason.UNKNOWN_CERTIFICATE));
  }

  @Test
  void refusesToInitialiseTwice() {
    assertThatThrownBy(() -> CertificateAuthority.initialize(pki.registry, "again", pki.clock, pki.random, "test"))
        .isInstanceOfSatisfying(CaException.class,
            e -> assertThat(e.reason()).isEqualTo(CaException.Reason.ALREADY_INITIALIZED));
  }

  @Test
  void keepsTheServerCertificateUntilAThirdOfItsLifetimeIsLeftThenIssuesANewOne() throws Exception {
    ServerCredentials first = pki.ca.serverCredentials("relay.tls", List.of("localhost", "127.0.0.1"), "test");
    pki.clock.advance(Duration.ofDays(50));
    ServerCredentials same = pki.ca.serverCredentials("relay.tls", List.of("localhost", "127.0.0.1"), "test");
    pki.clock.advance(Duration.ofDays(11));
    ServerCredentials renewed = pki.ca.serverCredentials("relay.tls", List.of("localhost", "127.0.0.1"), "test");

    assertThat(first.chain().get(0).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(same.chain().get(0)).isEqualTo(first.chain().get(0));
    assertThat(renewed.chain().get(0)).isNotEqualTo(first.chain().get(0));
    assertThat(first.toString()).contains("redacted");
    assertThat(pki.registry.read(tx -> tx.certificates()).stream().filter(c -> c.kind() == CertificateRecord.Kind.SERVER))
        .hasSize(2);
  }
}
