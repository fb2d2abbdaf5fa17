package dev.holdfast.agent.link;

import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.Received;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Named fixtures for the link's integration tests. */
final class LinkFixtures {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  private LinkFixtures() {}

  /** A fresh device id ({@code dev-} + 16 of [0-9a-z]), so tests never see each other's retained state. */
  static String newDeviceId() {
    StringBuilder s = new StringBuilder("dev-");
    for (int i = 0; i < 16; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  /** A device with nothing queued and nothing delivered yet. */
  static StateSource idle() {
    return () -> new DeviceState("test", Optional.empty(), Optional.empty(), 0, Optional.empty());
  }

  /** The pong of the next state message of {@code deviceId} that has one. */
  static String nextPong(MqttTestClient fleet, String deviceId, Duration wait) throws Exception {
    while (true) {
      Received r = fleet.next(wait);
      if (r.topic().equals(Topics.state(deviceId))) {
        Map<String, Object> state = JsonParser.parseObject(r.text());
        if (state.get("pong") instanceof String pong) {
          return pong;
        }
      }
    }
  }
}
