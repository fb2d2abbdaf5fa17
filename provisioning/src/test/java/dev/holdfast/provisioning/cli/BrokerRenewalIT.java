package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.testkit.Mosquitto;
import dev.holdfast.testkit.Mqtt;
import dev.holdfast.testkit.MqttTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewing the broker's certificate with {@code broker certs} while the broker runs as its own user,
 * as installed: the new key keeps the owner, group and mode the broker needs before the SIGHUP, so
 * the broker loads it and new TLS connections keep working. Needs root and a {@code mosquitto} user.
 */
class BrokerRenewalIT {
  static final String DEVICE = "dev-renewrenewrenew1";
  static final String RELOADED = "Reloading config.";

  @TempDir Path root;
  final SecureRandom random = TestRandom.seeded(601);

  @Test
  void renewingTheBrokerCertificateWithTheBrokerRunningAsItsOwnUserCausesNoOutage() throws Exception {
    assumeTrue(((Integer) Files.getAttribute(root, "unix:uid")) == 0, "needs root: the broker drops to mosquitto");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
    CliHarness cli = new CliHarness(root);
    try (CliBroker fleet = CliBroker.start(cli, root, "Renewal", "mosquitto").wire(cli)) {
      Mosquitto broker = fleet.broker;
      Path etc = fleet.etc;
      PosixFileAttributes installed = keyAttributes(etc);
      assertThat(installed.group().getName()).isEqualTo("mosquitto");
      assertThat(PosixFilePermissions.toString(installed.permissions())).isEqualTo("rw-r-----");
      SSLContext device = CliBroker.issue(cli, root, DEVICE, random).tls(random);
      X509Certificate before = served(broker, device);

      long reloads = reloads(broker);
      CliHarness.Result renewed = cli.run("broker", "certs", "--out", etc.toString(), "--name",
          "localhost,127.0.0.1,broker.renewed.example");
      assertThat(renewed.exit()).as(renewed.err()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> reloads(broker) > reloads);

      X509Certificate after = served(broker, device);
      assertThat(after.getSerialNumber()).as("the broker serves the renewed certificate")
          .isNotEqualTo(before.getSerialNumber())
          .isEqualTo(Pem.certificates(Files.readString(etc.resolve("server.pem"))).get(0).getSerialNumber());
      try (MqttTestClient client = MqttTestClient.connect(broker.uri(), DEVICE, Mqtt.options(device.getSocketFactory()))) {
        assertThat(client.isConnected()).isTrue();
      }
      PosixFileAttributes kept = keyAttributes(etc);
      assertThat(kept.owner()).isEqualTo(installed.owner());
      assertThat(kept.group()).isEqualTo(installed.group());
      assertThat(kept.permissions()).isEqualTo(installed.permissions());
      assertThat(broker.log()).doesNotContain("Unable to load server key file");
    }
  }

  /** The certificate the broker presents on a new TLS connection. */
  private static X509Certificate served(Mosquitto broker, SSLContext device) throws Exception {
    try (SSLSocket socket = (SSLSocket) device.getSocketFactory().createSocket("127.0.0.1", broker.port())) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static PosixFileAttributes keyAttributes(Path etc) throws Exception {
    return Files.readAttributes(etc.resolve("server.key"), PosixFileAttributes.class);
  }

  private static long reloads(Mosquitto broker) {
    return broker.log().lines().filter(l -> l.contains(RELOADED)).count();
  }
}
