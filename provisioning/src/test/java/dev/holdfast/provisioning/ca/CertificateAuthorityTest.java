package dev.holdfast.provisioning.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.crypto.P256;
import dev.holdfast.provisioning.broker.CrlPublisher;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.testing.Csrs;
import dev.holdfast.provisioning.testing.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
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
    assertThat(pki.registry.read(tx -> tx.devices().find(issued.deviceId())).orElseThrow().currentSerial())
        .contains(issued.serial());
  }

  @Test
  void issuesAClientAuthCertificateThatChainsToTheRootWithTheRequestedLifetime() throws Exception {
    IssuedCertificate issued = pki.issue(Csrs.valid(pki.random), Optional.of("pump-7"), Duration.ofDays(7))
        .ok().orElseThrow();

    X509Certificate leaf = issued.leaf();
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(pki.clock.instant().plus(Duration.ofDays(7)));
    assertThat(issued.chain()).hasSize(3);
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(pki.root(), null)));
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
    assertThat(CsrPolicy.check(Csrs.withoutProofOfPossession(pki.random)).refusal()).contains(CsrRefusal.BAD_SIGNATURE);
  }

  @Test
  void acceptsAP256CsrSignedOverSha384OrSha512AndRefusesOneWhoseSignedBytesChanged() {
    for (String algorithm : List.of("SHA384withECDSA", "SHA512withECDSA")) {
      KeyPair keys = P256.generate(pki.random);
      byte[] csr = Csrs.signedWith(keys, algorithm);
      assertThat(CsrPolicy.check(csr).ok()).as(algorithm).contains(keys.getPublic());
      byte[] changed = csr.clone();
      int subject = indexOf(changed, "x-subject".getBytes(StandardCharsets.US_ASCII));
      changed[subject] ^= 0x01;
      assertThat(CsrPolicy.check(changed).refusal()).as(algorithm).contains(CsrRefusal.BAD_SIGNATURE);
    }
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  @Test
  void refusesCsrsWithKeysOtherThanP256() {
    for (byte[] csr : List.of(Csrs.withKeyOnP384(pki.random), Csrs.withRsaKey(pki.random))) {
      assertThat(CsrPolicy.check(csr).refusal()).contains(CsrRefusal.KEY_TYPE);
    }
  }

  @Test
  void refusesGarbageAsAMalformedCsrAndAcceptsPem() throws Exception {
    assertThat(CsrPolicy.check("hello".getBytes(StandardCharsets.US_ASCII)).refusal()).contains(CsrRefusal.MALFORMED);
    byte[] pem = Pem.encode("CERTIFICATE REQUEST", Csrs.valid(pki.random)).getBytes(StandardCharsets.US_ASCII);
    assertThat(CsrPolicy.check(pem).ok().orElseThrow().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void refusesALifetimeBeyondThePolicyAndAnInvalidDeviceIdWritingNothing() throws Exception {
    assertThat(pki.issue(Csrs.valid(pki.random), Optional.empty(), Duration.ofDays(5000)).refusal())
        .contains(CaRefusal.LIFETIME);
    assertThat(pki.issue(Csrs.valid(pki.random), Optional.of("a/#"), Duration.ofDays(1)).refusal())
        .contains(CaRefusal.BAD_DEVICE_ID);
    var devices = pki.registry.read(tx -> tx.devices().all());
    assertThat(devices).isEmpty();
    var certificates = pki.registry.read(tx -> tx.certificates().all());
    assertThat(certificates).extracting(CertificateRecord::kind)
        .containsOnly(CertificateRecord.Kind.ROOT_CA, CertificateRecord.Kind.ISSUING_CA);
  }

  @Test
  void listsARevokedSerialInTheNextCrlSignedByTheIssuingCa() throws Exception {
    IssuedCertificate kept = pki.validDeviceCert();
    IssuedCertificate revoked = pki.validDeviceCert();

    Revocation r = pki.revokeSerial(revoked.serial());
    X509CRL crl = pki.crl();

    crl.verify(pki.issuing().getPublicKey());
    assertThat(r.certificates()).extracting(CertificateRecord::serial).containsExactly(revoked.serial());
    assertThat(crl.isRevoked(revoked.leaf())).isTrue();
    assertThat(crl.isRevoked(kept.leaf())).isFalse();
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(pki.clock.instant().plus(Duration.ofDays(7)));
  }

  @Test
  void aCrlEntryCarriesItsRevocationTimeToTheSecondAndNoReasonCode() throws Exception {
    IssuedCertificate revoked = pki.validDeviceCert();
    pki.clock.advance(Duration.ofMillis(1500));
    Revocation r = pki.revokeSerial(revoked.serial());

    X509CRLEntry entry = pki.crl().getRevokedCertificate(revoked.leaf());

    assertThat(entry.getRevocationDate().toInstant())
        .isEqualTo(r.certificates().get(0).revokedAt().orElseThrow().truncatedTo(ChronoUnit.SECONDS));
    assertThat(entry.hasExtensions()).as("reason unspecified: no reason code").isFalse();
  }

  @Test
  void crlTimesAreUtcTimeThrough2049AndGeneralizedTimeAfter() throws Exception {
    Instant last = Instant.parse("2049-12-31T23:59:59Z");
    Instant first = Instant.parse("2050-01-01T00:00:00Z");

    assertThat(Crls.time(last).toASN1Primitive()).isInstanceOf(ASN1UTCTime.class);
    assertThat(Crls.time(first).toASN1Primitive()).isInstanceOf(ASN1GeneralizedTime.class);
    assertThat(Crls.time(last).getDate().toInstant()).isEqualTo(last);
    assertThat(Crls.time(first).getDate().toInstant()).isEqualTo(first);
    assertThat(Crls.time(Instant.parse("2026-12-06T23:05:07.900Z")).toASN1Primitive().getEncoded())
        .as("the encoding Bouncy Castle gives the same second")
        .isEqualTo(new Time(Date.from(Instant.parse("2026-12-06T23:05:07Z"))).toASN1Primitive().getEncoded());
  }

  @Test
  void rewritesTheConfiguredCrlFileOnEveryRevocationReadableByTheBroker() throws Exception {
    Path crlPath = dir.resolve("crl.pem");
    try (TestPki withCrl = TestPki.create(dir.resolve("with-crl"), 2,
        new CaSettings(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(7), Optional.of(crlPath)))) {
      IssuedCertificate a = withCrl.validDeviceCert();
      IssuedCertificate b = withCrl.validDeviceCert();
      CrlPublisher publisher = new CrlPublisher(Optional.of(crlPath), withCrl.issuing(), withCrl.clock, () -> { });

      withCrl.revokeSerial(a.serial());
      publisher.publish(withCrl.crl());
      X509CRL first = Crls.parse(Pem.decodeAll(Files.readString(crlPath), "X509 CRL").get(0));
      withCrl.revoke(new RevokeRequest.OfDevice(b.deviceId(), "test")).ok().orElseThrow();
      publisher.publish(withCrl.crl());
      X509CRL second = Crls.parse(Pem.decodeAll(Files.readString(crlPath), "X509 CRL").get(0));

      assertThat(first.isRevoked(a.leaf())).isTrue();
      assertThat(first.isRevoked(b.leaf())).isFalse();
      assertThat(second.isRevoked(a.leaf())).isTrue();
      assertThat(second.isRevoked(b.leaf())).isTrue();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(crlPath))).isEqualTo("rw-r--r--");
      assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
      assertThat(withCrl.registry.read(tx -> tx.devices().find(b.deviceId())).orElseThrow().state())
          .isEqualTo(Device.State.REVOKED);
    }
  }

  @Test
  void refusesToIssueForARevokedDeviceAndToRevokeAnUnknownSerialOrDevice() throws Exception {
    IssuedCertificate issued = pki.validDeviceCert();
    pki.revoke(new RevokeRequest.OfDevice(issued.deviceId(), "test")).ok().orElseThrow();

    assertThat(pki.issue(Csrs.valid(pki.random), Optional.of(issued.deviceId()), Duration.ofDays(1)).refusal())
        .contains(CaRefusal.DEVICE_REVOKED);
    assertThat(pki.revoke(new RevokeRequest.BySerial("abcdef", "test")).refusal())
        .contains(CaRefusal.UNKNOWN_CERTIFICATE);
    assertThat(pki.revoke(new RevokeRequest.OfDevice("dev-nosuch", "test")).refusal())
        .contains(CaRefusal.UNKNOWN_DEVICE);
  }

  @Test
  void refusesToInitialiseTwice() throws Exception {
    assertThat(FleetCa.initialize(pki.registry, "again", pki.clock, pki.random, "test").refusal())
        .contains(CaRefusal.ALREADY_INITIALIZED);
  }

  @Test
  void renewsAnActiveDeviceWithACertificateThatStaysPendingWhileTheCurrentOneKeepsWorking() throws Exception {
    IssuedCertificate current = pki.validDeviceCert();

    IssuedCertificate renewed = pki.registry.write(tx -> pki.ca.renew(tx, new RenewRequest(current.deviceId(),
        CsrPolicy.check(Csrs.valid(pki.random)).ok().orElseThrow(), Duration.ofDays(30), "test"))).ok().orElseThrow();

    Device device = pki.registry.read(tx -> tx.devices().find(current.deviceId())).orElseThrow();
    assertThat(device.currentSerial()).contains(current.serial());
    assertThat(device.pendingSerial()).contains(renewed.serial());
    assertThat(device.rotation()).isEqualTo(Device.RotationState.PENDING_CONFIRMATION);
    assertThat(renewed.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=" + current.deviceId());
    assertThat(pki.verifier().verify(current.leaf(), pki.clock.instant()).verdict())
        .isEqualTo(DeviceCertificateVerifier.Verdict.VALID);
    pki.revoke(new RevokeRequest.OfDevice(current.deviceId(), "test")).ok().orElseThrow();
    assertThat(pki.registry.write(tx -> pki.ca.renew(tx, new RenewRequest(current.deviceId(),
        CsrPolicy.check(Csrs.valid(pki.random)).ok().orElseThrow(), Duration.ofDays(30), "test"))).refusal())
        .contains(CaRefusal.DEVICE_REVOKED);
  }

  @Test
  void keepsTheServerCertificateUntilAThirdOfItsLifetimeIsLeftThenIssuesANewOne() throws Exception {
    ServerCredentials first = pki.services.server("relay.tls", List.of("localhost", "127.0.0.1"), "test");
    pki.clock.advance(Duration.ofDays(50));
    ServerCredentials same = pki.services.server("relay.tls", List.of("localhost", "127.0.0.1"), "test");
    pki.clock.advance(Duration.ofDays(11));
    ServerCredentials renewed = pki.services.server("relay.tls", List.of("localhost", "127.0.0.1"), "test");

    assertThat(first.chain().get(0).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(same.chain().get(0)).isEqualTo(first.chain().get(0));
    assertThat(renewed.chain().get(0)).isNotEqualTo(first.chain().get(0));
    assertThat(first.toString()).contains("redacted");
    assertThat(pki.registry.read(tx -> tx.certificates().all()).stream()
        .filter(c -> c.kind() == CertificateRecord.Kind.SERVER))
        .hasSize(2);
  }
}
