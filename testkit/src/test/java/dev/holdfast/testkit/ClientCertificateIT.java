package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
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
    Refusals.assertRefused(broker, Refusals.NO_CERTIFICATE,
        () -> MqttTestClient.connect(broker.uri(), DEVICE, Mqtt.options(pki.anonymousSocketFactory())));
    assertThat(broker.isRunning()).isTrue();
  }

  @Test
  void refusesACertificateFromAnotherCaEvenWithAFleetDeviceId(Mosquitto broker, TestPki pki) {
    Credentials impostor = pki.signedByAnotherCa(DEVICE);
    Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> Mqtt.connect(broker, pki, impostor));
  }

  @Test
  void refusesAnExpiredDeviceCertificate(Mosquitto broker, TestPki pki) {
    Credentials expired = pki.expiredDevice(DEVICE);
    Refusals.assertRefused(broker, Refusals.VERIFY_FAILED, () -> Mqtt.connect(broker, pki, expired));
  }

  @Test
  void acceptsTls12AndTls13(Mosquitto broker, TestPki pki) throws MqttException {
    for (String version : new String[] {"TLSv1.2", "TLSv1.3"}) {
      Credentials device = pki.device(DEVICE);
      try (MqttTestClient c = MqttTestClient.connect(broker.uri(), DEVICE,
          Mqtt.options(pki.socketFactory(device, version)))) {
        assertThat(c.isConnected()).as(version).isTrue();
        assertThat(c.tlsProtocol()).isEqualTo(version);
      }
    }
  }

  @Test
  void acceptsADeviceWhoseOwnKeyThePkiCertified(Mosquitto broker, TestPki pki) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair own = generator.generateKeyPair();
    Credentials device = new Credentials(DEVICE, own.getPrivate(), pki.certify(DEVICE, own.getPublic()));
    try (MqttTestClient c = Mqtt.connect(broker, pki, device)) {
      assertThat(c.isConnected()).isTrue();
    }
    assertThat(pki.rootFile()).content().startsWith("-----BEGIN CERTIFICATE-----");
  }
}
