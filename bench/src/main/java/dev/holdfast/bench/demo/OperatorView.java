package dev.holdfast.bench.demo;

import dev.holdfast.bench.fleet.Fleet;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.Received;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The fleet as its operator sees it: the devices' retained state over MQTT, read with the
 * operator's certificate ({@code holdfast-provisioning operators add}), read-only.
 */
final class OperatorView implements AutoCloseable {
  private final MqttTestClient client;

  private OperatorView(MqttTestClient client) {
    this.client = client;
  }

  /** Connects as the fleet's operator and subscribes to every device's state. */
  static OperatorView connect(Fleet fleet) throws Exception {
    MqttTestClient client = fleet.operator();
    client.subscribe(Topics.allStates(), 1);
    return new OperatorView(client);
  }

  /** The newest state seen per device id. */
  Map<String, Map<String, Object>> latest() {
    Map<String, Map<String, Object>> out = new HashMap<>();
    for (Received r : client.received()) {
      try {
        Map<String, Object> state = JsonParser.parseObject(r.text());
        if (state.get("device") instanceof String device) {
          out.put(device, state);
        }
      } catch (JsonParser.JsonException e) {
        // not a state message; the operator's view ignores it
      }
    }
    return out;
  }

  /** True when each of {@code devices} was last seen online with {@code depth} records queued. */
  boolean allOnline(List<Device> devices, long depth) {
    Map<String, Map<String, Object>> latest = latest();
    return devices.stream().map(d -> latest.get(d.id())).allMatch(s -> s != null
        && Boolean.TRUE.equals(s.get("online"))
        && s.get("outbox_depth") instanceof Number n && n.longValue() == depth);
  }

  /** How to watch the same with mosquitto_sub, for {@code --keep}. */
  static List<String> describe(Fleet fleet) {
    String files = fleet.operatorDir().toString();
    return List.of("the operator's view (read-only certificate from 'holdfast-provisioning operators add'):",
        "    mosquitto_sub -h 127.0.0.1 -p " + fleet.broker().port() + " --cafile " + files + "/fleet-root.pem --cert "
            + files + "/" + Fleet.OPERATOR + ".pem --key " + files + "/" + Fleet.OPERATOR + ".key"
            + " -t '" + Topics.allStates() + "' -t '" + Topics.PREFIX + "+/events/#' -v");
  }

  @Override
  public void close() throws MqttException {
    client.close();
  }
}
