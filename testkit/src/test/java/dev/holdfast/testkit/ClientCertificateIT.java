package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MosquittoExtension.class)
class ClientCertificateIT {
  private static final String DEVICE = "dev-0123456789abcdef";

  @Test
  void acceptsADeviceWithACertificateFromTheIssuingCa(Mosquitto broker, TestPki pki) throws MqttException {
    try (MqttTestClient device = Mqtt.connect(broker, pki, pki.device(DEVICE))) {
      assertThat(device.isConnected()).isTrue();
    }
    assertThat(broker.log()).contains("as " + DEVICE);
  }

  @Test
  void refusesAClientWithoutACertificate(Mosquitto broker, TestPki pki) {
    assertThatThrownBy(() -> MqttTestClient.connect(broker.uri(), DEVICE, Mqtt.options(pki.anonymousSocketFactory())))
        .isInstanceOf(MqttException.class);
    assertThat(broker.isRunning()).isTrue();
  }

  @Test
  void refusesACertificateFromAnotherCaEvenWithAFleetDeviceId(Mosquitto broker, TestPki pki) {
    Credentials impostor = pki.signedByAnotherCa(DEVICE);
    assertThatThrownBy(() -> Mqtt.connect(broker, pki, impostor)).isInstanceOf(MqttException.class);
    assertThat(broker.log()).contains("certificate verify failed");
  }
}
