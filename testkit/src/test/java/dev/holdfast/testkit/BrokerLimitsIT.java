package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The limits of the shipped holdfast.conf, through a real broker and an independent client (mosquitto_pub). */
@ExtendWith(MosquittoExtension.class)
class BrokerLimitsIT {
  private static final String PREFIX = "holdfast/v1/devices/";
  private static final int MAX_PACKET_SIZE = 262_144;

  @TempDir Path dir;

  @Test
  void aPacketOverTheMaximumSizeIsNotDeliveredAndItsMqtt311SenderIsDisconnected(Mosquitto broker, TestPki pki)
      throws Exception {
    String id = "dev-aaaaaaaaaaaa0101";
    Credentials device = pki.device(id);
    Path cert = Pem.write(dir.resolve("device.pem"), Pem.encode(device.chain().get(0), device.chain().get(1)));
    Path key = Pem.write(dir.resolve("device.key"), Pem.encode(device.key()));
    Path big = dir.resolve("big.bin");
    Files.write(big, new byte[MAX_PACKET_SIZE + 1]);
    try (MqttTestClient service = Mqtt.connect(broker, pki, pki.service())) {
      assertThat(service.subscribe(PREFIX + "+/events", 1)).isEqualTo(1);

      Process pub = new ProcessBuilder("mosquitto_pub", "-V", "mqttv311", "-h", "127.0.0.1", "-p",
          Integer.toString(broker.port()), "--cafile", pki.rootFile().toString(), "--cert", cert.toString(),
          "--key", key.toString(), "--insecure", "-i", id, "-q", "1", "-t", PREFIX + id + "/events", "-f",
          big.toString()).redirectErrorStream(true).start();
      assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
      String output = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      await().atMost(Duration.ofSeconds(10)).until(() -> broker.log().contains("Client " + id + " disconnected"));

      try (MqttTestClient again = Mqtt.connect(broker, pki, device)) {
        assertThat(again.publish(PREFIX + id + "/events", "small".getBytes(StandardCharsets.UTF_8), 1, false))
            .isLessThan(0x80);
      }
      Received first = service.next();
      assertThat(first.text()).as("mosquitto_pub said: %s", output).isEqualTo("small");
      assertThat(service.received()).hasSize(1);
    }
  }

  @Test
  void anMqtt5ClientIsToldTheMaximumPacketSizeInItsConnack(Mosquitto broker, TestPki pki) throws Exception {
    try (MqttTestClient device = Mqtt.connect(broker, pki, pki.device("dev-aaaaaaaaaaaa0102"))) {
      assertThat(device.maximumPacketSize()).isEqualTo((long) MAX_PACKET_SIZE);
    }
  }
}
