package dev.holdfast.testkit;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One message a {@link MqttTestClient} received.
 *
 * @param topic      the topic it was published on
 * @param payload    its payload
 * @param qos        the delivery QoS
 * @param retained   whether it came from the retained store
 * @param properties its v5 properties (response topic, correlation data, ...)
 */
public record Received(String topic, byte[] payload, int qos, boolean retained, MqttProperties properties) {

  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Received[" + topic + ", " + payload.length + " bytes, qos " + qos + (retained ? ", retained" : "") + "]";
  }
}
