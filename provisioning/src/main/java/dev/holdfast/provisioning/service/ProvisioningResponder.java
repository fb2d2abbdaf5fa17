package dev.holdfast.provisioning.service;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.messages.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * Answers devices' {@code prov/req} messages. Rotation will give these requests meaning; for now
 * every request gets {@code {"v":1,"error":"unsupported",...}} with its correlation data echoed.
 *
 * <p>The answer always goes to the requesting device's own {@code prov/res}, whatever response
 * topic the request names: the service may publish anywhere in the fleet's tree, so following a
 * device's response topic blindly would let one device make the service write into another's.
 */
public final class ProvisioningResponder implements ServiceConnection.Handler {
  static final String UNSUPPORTED = Json.write(Json.object("v", 1, "error", "unsupported",
      "message", "this provisioning service does not serve requests over MQTT yet; nothing was changed"));

  /** What the service subscribes to: not shared, so no device can join the group and drop requests. */
  public static List<MqttSubscription> subscriptions() {
    return List.of(new MqttSubscription(Topics.allProvisioningRequests(), 1));
  }

  @Override
  public void onMessage(String topic, MqttMessage message, ServiceConnection connection) {
    Optional<String> device = Topics.deviceOf(topic);
    if (device.isEmpty() || !topic.equals(Topics.provisioningRequests(device.get()))) {
      Logger.warn("ignoring a message on {}: not a provisioning request", topic);
      return;
    }
    String answerTopic = Topics.provisioningResponses(device.get());
    MqttProperties in = message.getProperties();
    String asked = in == null ? null : in.getResponseTopic();
    if (asked != null && !asked.equals(answerTopic)) {
      Logger.warn("device {} asked for answers on {}; answering on {}", device.get(), asked, answerTopic);
    }
    MqttProperties out = new MqttProperties();
    if (in != null && in.getCorrelationData() != null) {
      out.setCorrelationData(in.getCorrelationData());
    }
    out.setContentType("application/json");
    Logger.info("provisioning request from {} ({} bytes): unsupported", device.get(), message.getPayload().length);
    connection.publish(answerTopic, UNSUPPORTED.getBytes(StandardCharsets.UTF_8), 1, false, out);
  }
}
