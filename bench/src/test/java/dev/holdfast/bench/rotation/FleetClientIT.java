package dev.holdfast.bench.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.messages.ProvError;
import dev.holdfast.protocol.messages.Topics;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated fleet's one-thread MQTT client against the real broker and service of the benchmark. */
class FleetClientIT {
  @TempDir Path dir;
  RotationBench bench;
  RotationBench.Enrolled device;

  @BeforeEach
  void setUp() throws Exception {
    bench = new RotationBench(dir);
    device = bench.enroll("dev-fleetclient00001");
  }

  @AfterEach
  void tearDown() {
    bench.close();
  }

  FleetClient connected(List<String> topics) throws Exception {
    return bench.connectFleetDevice(device.id(), device.keys(), device.cert(), topics);
  }

  @Test
  void aDeviceConnectedWithItsCertificateAsksTheServiceAndGetsTheAnswerOnItsOwnTopic() throws Exception {
    try (FleetClient c = connected(List.of(Topics.provisioningResponses(device.id())))) {
      assertThat(RotationBench.ask(c, device.id(), "{}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ProvError.class);
      assertThat(RotationBench.ask(c, device.id(), "{}".getBytes(StandardCharsets.UTF_8)))
          .as("the first answer was acknowledged, the next one comes").isInstanceOf(ProvError.class);
    }
  }

  @Test
  void aConnectionWithAnotherDevicesCertificateIsRefusedAtTheHandshake() {
    assertThatThrownBy(() -> bench.connectFleetDevice(device.id(), device.keys(), bench.deviceCert,
        List.of(Topics.commands(device.id())))).isInstanceOf(IOException.class);
  }

  @Test
  void waitingForAMessageThatNeverComesEndsAtTheTimeout() throws Exception {
    try (FleetClient c = connected(List.of(Topics.commands(device.id())))) {
      assertThatThrownBy(() -> c.next(Duration.ofMillis(200))).isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("no message within");
    }
  }

  @Test
  void aPublishTheBrokerRefusesReturnsItsReasonCode() throws Exception {
    try (FleetClient c = connected(List.of(Topics.commands(device.id())))) {
      int reason = c.publish(Topics.commands(RotationBench.DEVICE), new byte[] {1},
          new org.eclipse.paho.mqttv5.common.packet.MqttProperties(), Duration.ofSeconds(10));

      assertThat(reason).as("not authorized").isEqualTo(0x87);
    }
  }
}
