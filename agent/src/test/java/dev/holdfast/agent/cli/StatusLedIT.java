package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.config.ConfigLoader;
import dev.holdfast.agent.config.Setting;
import dev.holdfast.agent.gpio.LedPatterns;
import dev.holdfast.agent.gpio.LedState;
import dev.holdfast.agent.gpio.LedState.Condition;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.testing.MockGpio;
import dev.holdfast.protocol.json.JsonParser;
import dev.holdfast.testkit.MosquittoExtension;
import dev.holdfast.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status LED of an enrolled agent following its real state while a real Mosquitto goes away
 * and comes back: online, broker down (offline, nothing queued), a door press queued while offline
 * (the faster "queueing" flash), back online once the event is delivered. Pi4J's mock provider
 * stands in for the pins; the link, outbox, vault and broker are real.
 */
class StatusLedIT {
  @RegisterExtension static final MosquittoExtension BROKER = new MosquittoExtension();
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String LED = "gpio.led.pin";
  @TempDir Path home;
  AgentRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (!BROKER.broker().isRunning()) {
      BROKER.broker().start();
    }
  }


  LedState led() {
    return runtime.gpio().ledState().orElseThrow();
  }

  void awaitLed(Condition condition, long queued) {
    await().atMost(WAIT).until(() -> runtime.gpio().ledState()
        .equals(Optional.of(new LedState(condition, queued))));
  }

  @Test
  void theLedFollowsOnlineBrokerDownQueueingAndBackOnline() throws Exception {
    AgentFixture agent = new AgentFixture(home);
    Path config = agent.initVaultWithConfig();
    String deviceId = "dev-1edf0110000000001";
    Files.writeString(config, """
        mqtt.broker = %s
        mqtt.reconnect.base = 50ms
        mqtt.reconnect.cap = 500ms
        mqtt.timeout = 5s
        gpio.input.door.pin = 17
        gpio.input.door.pull = down
        gpio.input.door.edge = rising
        gpio.input.door.debounce = 10ms
        gpio.input.door.channel = mqtt
        gpio.input.door.to = events/door
        gpio.led.pin = 18
        """.formatted(BROKER.broker().uri()), StandardOpenOption.APPEND);
    AgentConfig loaded = ConfigLoader.load(Optional.of(config), Map.of(Setting.DATA_DIR, agent.dataDir.toString(),
        Setting.VAULT_KEY_FILE, agent.keyFile.toString()));
    try (Vault vault = VaultAccess.open(AgentFixture.silentContext(), loaded)) {
      new IdentityStore(vault).storeCurrent(LinkWiringIT.enrolled(BROKER.pki(), deviceId,
          Instant.now().plus(Duration.ofDays(90))));
    }
    MockGpio board = MockGpio.raspberryPi4();
    runtime = AgentRuntime.start(AgentFixture.silentContext(), loaded, board.hardware());

    awaitLed(Condition.ONLINE, 0);
    await().atMost(WAIT).until(() -> board.isHigh(LED));

    BROKER.broker().stop();
    awaitLed(Condition.OFFLINE, 0);
    assertThat(LedPatterns.of(led()).period()).isEqualTo(4000);
    int drives = board.drivesOf(LED).size();
    await("the pin flashes").atMost(WAIT).until(() -> board.drivesOf(LED).size() >= drives + 2);

    board.set("gpio.input.door.pin", true);
    awaitLed(Condition.OFFLINE, 1);
    assertThat(LedPatterns.of(led()).period()).as("queueing: flashes twice as often").isEqualTo(2000);

    BROKER.broker().start();
    awaitLed(Condition.ONLINE, 0);
    await().atMost(WAIT).until(() -> board.isHigh(LED));
    Map<String, Object> status = JsonParser.parseObject(agent.agentWithConfig(config, "", "status", "--json").out());
    assertThat(status).containsEntry("agent_running", true);
    assertThat(((Number) status.get("dead")).intValue()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) status.get("channels");
    assertThat(((Number) channels.get("mqtt").get("delivered")).intValue()).as("the door event").isEqualTo(1);
  }
}
