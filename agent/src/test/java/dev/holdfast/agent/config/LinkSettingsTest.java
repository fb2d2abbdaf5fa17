package dev.holdfast.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.common.config.ConfigException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkSettingsTest {
  @TempDir Path dir;

  private AgentConfig load(String content) throws Exception {
    Path file = dir.resolve("agent.conf");
    Files.writeString(file, content);
    return ConfigLoader.load(Optional.of(file), Map.of());
  }

  @Test
  void withoutABrokerTheAgentHasNoLinkAndTheOtherSettingsHaveDefaults() throws Exception {
    assertThat(load("").link()).isEqualTo(LinkSettings.defaults(Optional.empty()));
  }

  @Test
  void readsEveryMqttKey() throws Exception {
    LinkSettings link = load("""
        mqtt.broker = ssl://broker.example:8883
        mqtt.keepalive = 30s
        mqtt.state-interval = 5m
        mqtt.session-expiry = 2h
        mqtt.reconnect.base = 500ms
        mqtt.reconnect.cap = 1m
        mqtt.timeout = 15s
        """).link();
    assertThat(link).isEqualTo(new LinkSettings(Optional.of(URI.create("ssl://broker.example:8883")),
        Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofMillis(500),
        Duration.ofMinutes(1), Duration.ofSeconds(15)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "mqtt.broker = tcp://broker.example:1883 | mqtt.broker = 'tcp://broker.example:1883' is not allowed; it must be an ssl:// URI",
      "mqtt.broker = ssl://user:pw@broker.example | it must be an ssl:// URI with a host",
      "mqtt.broker = ssl:///nohost | it must be an ssl:// URI with a host",
      "mqtt.keepalive = 500ms | mqtt.keepalive must be from 1s to 65535s",
      "mqtt.keepalive = 19h | mqtt.keepalive must be from 1s to 65535s",
      "mqtt.reconnect.base = 5m | mqtt.reconnect.base (300000) must not exceed mqtt.reconnect.cap (120000)",
      "mqtt.timeout = 0s | mqtt.timeout must be at least 1s",
      "mqtt.state-interval = 0s | mqtt.state-interval must be longer than 0",
  })
  void refusesAValueAndNamesTheSettingAndWhatIsAllowed(String line, String message) {
    assertThatThrownBy(() -> load(line + "\n")).isInstanceOf(ConfigException.class).hasMessageContaining(message);
  }

  @Test
  void aSessionExpiryOfZeroIsAllowed() throws Exception {
    assertThat(load("mqtt.session-expiry = 0s\n").link().sessionExpiry()).isZero();
  }
}
