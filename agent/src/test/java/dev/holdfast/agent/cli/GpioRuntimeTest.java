package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.config.ConfigLoader;
import dev.holdfast.agent.config.Setting;
import dev.holdfast.agent.gpio.LedState;
import dev.holdfast.agent.testing.MockGpio;
import dev.holdfast.agent.testing.RecordingServer;
import dev.holdfast.protocol.json.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running agent with Pi4J's mock provider in place of the pins and everything after them
 * real: debounce on the GPIO thread, the outbox in the vault, the dispatcher, the webhook sender,
 * a loopback HTTP receiver, the local API and the gpio commands.
 */
class GpioRuntimeTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path home;
  AgentFixture agent;
  RecordingServer receiver;
  MockGpio board;
  Path config;
  AgentRuntime runtime;

  @BeforeEach
  void start() throws Exception {
    agent = new AgentFixture(home);
    config = agent.initVaultWithConfig();
    receiver = new RecordingServer();
    Files.writeString(config, """
        gpio.input.door.pin = 17
        gpio.input.door.pull = down
        gpio.input.door.edge = rising
        gpio.input.door.debounce = 20ms
        gpio.input.door.channel = webhook
        gpio.input.door.to = %s
        gpio.input.door.idempotency-key = {device}-{name}-{edge}-{window}
        gpio.led.pin = 18
        outbox.retry.base = 50ms
        """.formatted(receiver.uri("/hook")), java.nio.file.StandardOpenOption.APPEND);
    AgentConfig loaded = ConfigLoader.load(Optional.of(config), Map.of(Setting.DATA_DIR, agent.dataDir.toString(),
        Setting.VAULT_KEY_FILE, agent.keyFile.toString()));
    board = MockGpio.raspberryPi4();
    runtime = AgentRuntime.start(AgentFixture.silentContext(), loaded, board.hardware());
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    receiver.close();
  }


  @Test
  void aPressOfTheSwitchEndsAsOneDeliveredWebhookThroughTheOutbox() throws Exception {
    board.set("gpio.input.door.pin", true);
    board.set("gpio.input.door.pin", false); // contact bounce
    board.set("gpio.input.door.pin", true);

    await().atMost(WAIT).until(() -> receiver.requests().size() == 1);
    RecordingServer.Request r = receiver.requests().get(0);
    Map<String, Object> body = JsonParser.parseObject(r.text());
    assertThat(body).containsEntry("input", "door").containsEntry("edge", "rising").containsEntry("device",
        "unenrolled");
    assertThat(((Number) body.get("pin")).intValue()).isEqualTo(17);
    assertThat(r.header("Idempotency-Key")).startsWith("unenrolled-door-rising-");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    // delivered: the outbox is empty again, and the LED (no MQTT link, nothing failing) says online
    await().atMost(WAIT).until(() -> runtime.gpio().ledState().map(LedState::condition)
        .equals(Optional.of(LedState.Condition.ONLINE)));
    assertThat(agent.agentWithConfig(config, "", "outbox", "list").out().lines()).as("only the header").hasSize(1);
    assertThat(receiver.requests()).as("the bounce sent nothing more").hasSize(1);
  }

  @Test
  void gpioListShowsTheLevelsAndGpioTestQueuesTheInputsMessageThroughTheRunningAgent() throws Exception {
    board.set("gpio.input.door.pin", true);
    AgentFixture.Result list = agent.agentWithConfig(config, "", "gpio", "list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("17    11      door           input  high (pull down, edge rising, webhook)")
        .contains("18    12      led            led    ");
    AgentFixture.Result json = agent.agentWithConfig(config, "", "gpio", "list", "--json");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> pins = (List<Map<String, Object>>) JsonParser.parseObject(json.out()).get("pins");
    assertThat(pins).hasSize(2);
    assertThat(pins.get(0)).containsEntry("name", "door").containsEntry("level", "high");

    AgentFixture.Result test = agent.agentWithConfig(config, "", "gpio", "test", "door");
    assertThat(test.code()).as(test.err()).isZero();
    assertThat(test.out().strip()).isNotEmpty();
    await().atMost(WAIT).until(() -> receiver.requests().stream().anyMatch(r -> r.text().contains("\"door\"")));

    AgentFixture.Result unknown = agent.agentWithConfig(config, "", "gpio", "test", "window");
    assertThat(unknown.code()).isEqualTo(66);
    assertThat(unknown.error()).isEqualTo("holdfast-agent: no GPIO input 'window'; configured: door (GPIO 17) "
        + "(see 'holdfast-agent gpio list')");
  }
}
