package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owners and modes docs/broker.md prescribes for {@code /etc/mosquitto/holdfast/}, with the broker
 * started as root and switching to the {@code mosquitto} user as it does when installed. Needs root
 * and a {@code mosquitto} user (CI has both).
 */
class InstallModesIT {
  private static final String DEVICE = "dev-iiiiiiiiiiii0001";

  @TempDir
  Path dir;
  private GroupPrincipal mosquittoGroup;
  private TestPki pki;
  private BrokerFiles installed;

  @BeforeEach
  void installTheFilesAsDocumented() throws IOException {
    assumeTrue(((Integer) Files.getAttribute(dir, "unix:uid")) == 0, "needs root: installs files owned by root");
    UserPrincipalLookupService names = dir.getFileSystem().getUserPrincipalLookupService();
    mosquittoGroup = names.lookupPrincipalByGroupName("mosquitto");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    pki = TestPki.create(dir.resolve("pki"));
    Path etc = Files.createDirectory(dir.resolve("holdfast"));
    install(etc, "rwxr-x---");
    BrokerFiles made = pki.brokerFiles();
    installed = new BrokerFiles(copy(made.caChain(), etc, "rw-r--r--"), copy(made.serverChain(), etc, "rw-r--r--"),
        copy(made.serverKey(), etc, "rw-r-----"), copy(made.crl(), etc, "rw-r--r--"),
        copy(made.acl(), etc, "rw-r--r--"));
  }

  @Test
  void theDocumentedModesLetTheBrokerReadEveryFileAsTheMosquittoUserAndReloadTheCrl() throws Exception {
    Path work = Files.createDirectory(dir.resolve("broker"));
    Files.setOwner(work, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mosquitto"));
    try (Mosquitto broker = new Mosquitto(installed, work).runAs("mosquitto").start()) {
      assertThat(Files.readAllLines(Path.of("/proc/" + broker.pid() + "/status")))
          .filteredOn(l -> l.startsWith("Uid:")).singleElement().asString().doesNotContain("\t0\t");
      Credentials device = pki.device(DEVICE);
      Mqtt.connect(broker, pki, device).close();

      pki.revoke(device);
      copy(pki.brokerFiles().crl(), installed.crl().getParent(), "rw-r--r--");
      broker.hangup();
      Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> Mqtt.connect(broker, pki, device));
    }
  }

  @Test
  void aCrlOnlyRootCanReadIsSkippedAtSighupAndTheRevokedDeviceGetsBackIn() throws Exception {
    Path work = Files.createDirectory(dir.resolve("broker"));
    Files.setOwner(work, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mosquitto"));
    Credentials device = pki.device(DEVICE);
    pki.revoke(device);
    copy(pki.brokerFiles().crl(), installed.crl().getParent(), "rw-r--r--");
    try (Mosquitto broker = new Mosquitto(installed, work).runAs("mosquitto").start()) {
      Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> Mqtt.connect(broker, pki, device));

      Files.setPosixFilePermissions(installed.crl(), PosixFilePermissions.fromString("rw-------"));
      broker.hangup();

      try (MqttTestClient admitted = Mqtt.connect(broker, pki, device)) {
        assertThat(admitted.isConnected()).as("an unreadable CRL fails open").isTrue();
      }
    } catch (MqttException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aServerKeyOnlyRootCanReadStopsTheBrokerFromStarting() throws IOException {
    Path work = Files.createDirectory(dir.resolve("broker"));
    Files.setOwner(work, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mosquitto"));
    Files.setPosixFilePermissions(installed.serverKey(), PosixFilePermissions.fromString("rw-------"));
    Mosquitto broker = new Mosquitto(installed, work).runAs("mosquitto");

    assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Unable to load server key file").hasMessageContaining("Permission denied");
    assertThat(broker.isRunning()).isFalse();
  }

  private Path copy(Path from, Path toDir, String mode) throws IOException {
    Path to = toDir.resolve(from.getFileName());
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    install(to, mode);
    return to;
  }

  private void install(Path p, String mode) throws IOException {
    Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(mosquittoGroup);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }
}
