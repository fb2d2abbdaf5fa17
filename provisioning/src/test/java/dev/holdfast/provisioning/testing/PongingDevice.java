package dev.holdfast.provisioning.testing;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.messages.Command;
import dev.holdfast.protocol.messages.Topics;
import dev.holdfast.testkit.MqttTestClient;
import dev.holdfast.testkit.Received;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The device side of a ping, as the agent will do it: subscribe to its {@code cmd} topic, act only
 * on commands that verify with the fleet's command key ({@link Command#check}), and answer by
 * publishing its retained state with {@code "pong":"<command id>"}. Runs on its own thread.
 */
public final class PongingDevice implements AutoCloseable {
  public final List<String> refused = new CopyOnWriteArrayList<>();
  public final List<Command> answered = new CopyOnWriteArrayList<>();
  private final MqttTestClient client;
  private final Thread thread;
  private volatile boolean running = true;

  public PongingDevice(MqttTestClient client, String deviceId, PublicKey commandKey, Clock clock) throws Exception {
    this.client = client;
    if (client.subscribe(Topics.commands(deviceId), 1) >= 0x80) {
      throw new IllegalStateException("the broker refused the device's subscription to its cmd topic");
    }
    thread = new Thread(() -> {
      while (running) {
        Received r;
        try {
          r = client.next(Duration.ofMillis(200));
        } catch (AssertionError nothingYet) {
          continue;
        }
        try {
          Command c = Command.parse(r.text());
          Optional<String> why = c.check(commandKey, deviceId, clock.instant(), Duration.ofMinutes(1));
          if (why.isPresent()) {
            refused.add(why.get());
            continue;
          }
          client.publish(Topics.state(deviceId), Json.write(Json.object("v", 1, "online", true, "pong", c.id()))
              .getBytes(StandardCharsets.UTF_8), 1, true);
          answered.add(c);
        } catch (Exception e) {
          refused.add(e.toString());
        }
      }
    }, "ponging-device");
    thread.start();
  }

  @Override
  public void close() throws org.eclipse.paho.mqttv5.common.MqttException {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
  }
}
