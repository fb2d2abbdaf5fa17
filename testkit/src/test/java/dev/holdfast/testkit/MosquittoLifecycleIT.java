package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test broker's own life cycle: kill -9, restart on the same port, refusing to start. */
class MosquittoLifecycleIT {
  private static final String DEVICE = "dev-llllllllllll0001";

  @TempDir
  Path dir;

  @Test
  void afterAKillTheClientsLoseTheirConnectionAndARestartServesTheSamePortAgain() throws MqttException {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    try (Mosquitto broker = new Mosquitto(pki.brokerFiles(), dir.resolve("broker")).start()) {
      int port = broker.port();
      long pid = broker.pid();
      MqttTestClient device = Mqtt.connect(broker, pki, pki.device(DEVICE));

      broker.kill();
      assertThat(broker.isRunning()).isFalse();
      await().atMost(MqttTestClient.TIMEOUT).until(() -> !device.isConnected());
      device.close();

      broker.restart();
      assertThat(broker.port()).isEqualTo(port);
      assertThat(broker.pid()).isNotEqualTo(pid);
      try (MqttTestClient again = Mqtt.connect(broker, pki, pki.device(DEVICE))) {
        assertThat(again.isConnected()).isTrue();
      }
      assertThat(broker.log()).as("the log runs on across restarts").contains("Opening ipv4 listen socket on port "
          + port).containsPattern("(?s)version 2\\.0\\.\\d+ running.*version 2\\.0\\.\\d+ running");
    }
  }

  @Test
  void aBrokerThatCannotStartFailsWithItsLogAndLeavesNoProcess() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Files.writeString(pki.brokerFiles().crl(), "-----BEGIN X509 CRL-----\ntruncated\n");
    Mosquitto broker = new Mosquitto(pki.brokerFiles(), dir.resolve("broker"));

    assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Mosquitto exited with status 1")
        .hasMessageContaining(pki.brokerFiles().crl().toString());
    assertThat(broker.isRunning()).isFalse();
  }

  @Test
  void theRenderedConfigurationIsTheShippedOneWithLoopbackPortAndTestPaths() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    try (Mosquitto broker = new Mosquitto(pki.brokerFiles(), dir.resolve("broker")).start()) {
      String rendered = Files.readString(broker.configFile());
      assertThat(rendered).contains("listener " + broker.port() + " 127.0.0.1", "crlfile " + pki.brokerFiles().crl(),
          "acl_file " + pki.brokerFiles().acl(), "require_certificate true", "use_username_as_clientid true")
          .doesNotContain("/etc/mosquitto/holdfast/");
    }
  }
}
