package dev.holdfast.provisioning.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.holdfast.provisioning.ca.CaSettings;
import dev.holdfast.provisioning.ca.Crls;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.registry.PendingReload;
import dev.holdfast.provisioning.service.CrlRefresher;
import dev.holdfast.provisioning.testing.HangupRecorder;
import dev.holdfast.provisioning.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing the CRL for the broker: verified before it replaces anything, refreshed at half-life, then SIGHUP. */
class CrlPublicationTest {
  @TempDir Path dir;
  Path crlPath;
  TestPki pki;
  final List<Path> published = new ArrayList<>();
  CrlPublisher publisher;

  @BeforeEach
  void setUp() throws Exception {
    crlPath = dir.resolve("broker").resolve("crl.pem");
    Files.createDirectories(crlPath.getParent());
    pki = TestPki.create(dir.resolve("fleet"), 21, new CaSettings(Duration.ofDays(30), Duration.ofDays(90),
        Duration.ofDays(8), Optional.of(crlPath)));
    publisher = new CrlPublisher(Optional.of(crlPath), pki.issuing(), pki.clock, () -> published.add(crlPath));
  }

  @AfterEach
  void tearDown() {
    pki.close();
  }

  X509CRL onDisk() {
    return CrlFiles.read(crlPath, pki.issuing()).orElseThrow();
  }

  boolean refreshIfDue() throws Exception {
    return publisher.refreshIfDue(pki.ca, pki.registry);
  }

  @Test
  void refreshesTheCrlOnlyOnceLessThanHalfOfItsValidityIsLeft() throws Exception {
    assertThat(refreshIfDue()).as("no CRL yet").isTrue();
    X509CRL first = onDisk();

    pki.clock.advance(Duration.ofDays(4).minusSeconds(1));
    assertThat(refreshIfDue()).isFalse();
    assertThat(onDisk().getThisUpdate()).isEqualTo(first.getThisUpdate());

    pki.clock.advance(Duration.ofSeconds(1));
    assertThat(refreshIfDue()).isTrue();
    X509CRL second = onDisk();
    assertThat(second.getThisUpdate().toInstant()).isEqualTo(pki.clock.instant());
    assertThat(Crls.number(second)).isGreaterThan(Crls.number(first));
    assertThat(published).containsExactly(crlPath, crlPath);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(crlPath))).isEqualTo("rw-r--r--");
  }

  @Test
  void theScheduledRefresherChecksOftenEnoughToRetryManyTimesWithinTheMargin() {
    CrlRefresher refresher = new CrlRefresher(pki.ca, pki.registry, publisher, pki.settings.crlValidity(),
        new BrokerSync(pki.registry, () -> { }, Optional.empty(), pki.clock));
    assertThat(refresher.interval()).isEqualTo(Duration.ofMinutes(10));
    refresher.run();
    assertThat(published).containsExactly(crlPath);
    refresher.run();
    assertThat(published).hasSize(1);
  }

  @Test
  void replacesAnUnreadableOrForeignCrlAtOnce() throws Exception {
    Files.writeString(crlPath, "-----BEGIN X509 CRL-----\ntruncated");
    assertThat(refreshIfDue()).isTrue();
    try (TestPki other = TestPki.create(dir.resolve("other"), 22)) {
      Files.writeString(crlPath, Crls.pem(other.crl()));
    }
    assertThat(refreshIfDue()).isTrue();
    assertThat(onDisk().getIssuerX500Principal()).isEqualTo(pki.issuing().getSubjectX500Principal());
  }

  @Test
  void aCrlThatDoesNotVerifyNeverReplacesTheGoodOne() throws Exception {
    refreshIfDue();
    byte[] good = Files.readAllBytes(crlPath);
    try (TestPki other = TestPki.create(dir.resolve("other"), 23)) {
      X509CRL foreign = other.crl();

      assertThatThrownBy(() -> CrlFiles.publish(crlPath, foreign, pki.issuing()))
          .hasMessageContaining("does not verify");
    }
    assertThat(Files.readAllBytes(crlPath)).isEqualTo(good);
    try (var files = Files.list(crlPath.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("crl.pem");
    }
  }

  @Test
  void sendsTheBrokerSighupAfterARevocationWritesTheCrl() throws Exception {
    try (HangupRecorder broker = new HangupRecorder(dir)) {
      CrlPublisher reloading = pki.crlPublisher(new BrokerReloader(broker.pidFile));
      IssuedCertificate device = pki.validDeviceCert();

      pki.revokeSerial(device.serial());
      reloading.publish(pki.crl());

      await().atMost(Duration.ofSeconds(10)).until(() -> broker.hangups() == 1);
      assertThat(CrlFiles.read(crlPath, pki.issuing()).orElseThrow()
          .isRevoked(device.leaf())).isTrue();
    }
  }

  @Test
  void aMissingPidFileFailsTheReloadWithWhatToDoAfterTheCrlIsInPlace() throws Exception {
    CrlPublisher reloading = pki.crlPublisher(new BrokerReloader(dir.resolve("no-such.pid")));

    assertThatThrownBy(() -> reloading.refreshIfDue(pki.ca, pki.registry))
        .isInstanceOfSatisfying(BrokerReloadException.class,
            e -> assertThat(e.reason()).isEqualTo(BrokerReloadException.Reason.NO_PID_FILE))
        .hasMessageContaining("no-such.pid").hasMessageContaining("systemctl restart mosquitto");
    assertThat(crlPath).exists();
  }

  @Test
  void theRefresherRecordsThatTheBrokerHasNotTakenACrlItCouldNotSignal() throws Exception {
    CrlPublisher reloading = pki.crlPublisher(new BrokerReloader(dir.resolve("no-such.pid")));
    BrokerSync sync = new BrokerSync(pki.registry, () -> { }, Optional.empty(), pki.clock);

    new CrlRefresher(pki.ca, pki.registry, reloading, pki.settings.crlValidity(), sync).run();

    PendingReload pending = pki.registry.read(tx -> tx.brokerReloads().pending()).orElseThrow();
    assertThat(pending.what()).isEqualTo("CRL refreshed");
    assertThat(pending.lastError()).get().asString().contains("no broker pid file");
  }
}
