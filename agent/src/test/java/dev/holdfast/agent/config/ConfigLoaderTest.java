package dev.holdfast.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.holdfast.common.config.ConfigException;
import dev.holdfast.common.config.Suggestions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private AgentConfig load(String content) throws Exception {
    Path file = dir.resolve("agent.conf");
    Files.writeString(file, content);
    return ConfigLoader.load(Optional.of(file), Map.of());
  }

  @Test
  void everySettingHasAWorkingDefault() throws Exception {
    AgentConfig config = load("# nothing set\n\n");
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/holdfast"));
    assertThat(config.vaultFile()).isEqualTo(Path.of("/var/lib/holdfast/agent.db"));
    assertThat(config.logLevel()).isEqualTo(LogLevel.INFO);
    assertThat(config.keyFile()).isEmpty();
    assertThat(config.credentialName()).isEqualTo("store-key");
  }

  @Test
  void theHardeningSettingsDefaultToA30sIdleTimeoutFiveMinuteCommandsAndAnyWebhookUrl() throws Exception {
    AgentConfig config = load("");
    assertThat(config.localIdleTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(config.commandMaxLifetime()).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(config.delivery().webhookAllowedUrls()).isEqualTo(WebhookUrls.ANY);
    AgentConfig set = load("local.idle-timeout = 2m\ncommands.max-lifetime = 90s\n"
        + "webhook.allowed-urls = https://hooks.example/in/, https://ops.example/alert\n");
    assertThat(set.localIdleTimeout()).isEqualTo(java.time.Duration.ofMinutes(2));
    assertThat(set.commandMaxLifetime()).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(set.delivery().webhookAllowedUrls().prefixes()).hasSize(2);
    assertThat(set.delivery().webhookAllowedUrls().permits("https://ops.example/alert/disk")).isTrue();
  }

  @Test
  void readsEveryKnownKey() throws Exception {
    AgentConfig config = load("""
        data-dir = /srv/holdfast
        log.level = DEBUG
          vault.key-file = /etc/holdfast/store.key
        vault.credential = my-key
        """);
    assertThat(config.dataDir()).isEqualTo(Path.of("/srv/holdfast"));
    assertThat(config.logLevel()).isEqualTo(LogLevel.DEBUG);
    assertThat(config.keyFile()).contains(Path.of("/etc/holdfast/store.key"));
    assertThat(config.credentialName()).isEqualTo("my-key");
  }

  @Test
  void readsOutboxAndDeliverySettingsWithUnits() throws Exception {
    AgentConfig config = load("""
        outbox.max-records = 500
        outbox.max-bytes = 2MiB
        outbox.max-body-bytes = 4KiB
        outbox.when-full = drop-oldest
        outbox.default-ttl = 24h
        outbox.concurrency = 8
        outbox.retry.base = 500ms
        outbox.retry.cap = 2m
        delivery.timeout = 3s
        sms.provider = twilio
        sms.twilio.account-sid = AC0123456789abcdef0123456789abcdef
        sms.twilio.from = +15550001111
        sms.relay.url = https://relay.example:8443
        webhook.signing-secret = hook-key
        local.socket = /tmp/agent.sock
        """);
    assertThat(config.outbox()).isEqualTo(new OutboxSettings(500, 2L << 20, 4L << 10,
        OutboxSettings.WhenFull.DROP_OLDEST, java.time.Duration.ofHours(24), 8,
        java.time.Duration.ofMillis(500), java.time.Duration.ofMinutes(2)));
    assertThat(config.delivery().smsProvider()).isEqualTo(DeliverySettings.SmsProvider.TWILIO);
    assertThat(config.delivery().timeout()).hasSeconds(3);
    assertThat(config.delivery().relayUrl()).contains(java.net.URI.create("https://relay.example:8443"));
    assertThat(config.delivery().twilioFrom()).contains("+15550001111");
    assertThat(config.delivery().webhookSigningSecret()).contains("hook-key");
    assertThat(config.socket()).isEqualTo(Path.of("/tmp/agent.sock"));
  }

  @Test
  void provisioningUrlIsUnsetByDefaultAndTakesOnlyHttps() throws Exception {
    assertThat(load("").provisioningUrl()).isEmpty();
    assertThat(load("provisioning.url = https://prov.example:8443\n").provisioningUrl())
        .contains(java.net.URI.create("https://prov.example:8443"));
    assertThatThrownBy(() -> load("provisioning.url = http://prov.example:8443\n"))
        .hasMessageContaining("provisioning.url").hasMessageContaining("an https:// URL with a host");
  }

  @Test
  void theRotationAnswerTimeoutIsTwentySecondsByDefaultAndFromOneSecondToTenMinutes() throws Exception {
    assertThat(load("").rotationAnswerTimeout()).hasSeconds(20);
    assertThat(load("rotation.answer-timeout = 90s\n").rotationAnswerTimeout()).hasSeconds(90);
    assertThatThrownBy(() -> load("rotation.answer-timeout = 500ms\n"))
        .hasMessageContaining("rotation.answer-timeout must be from 1s to 10m");
    assertThatThrownBy(() -> load("rotation.answer-timeout = 1h\n"))
        .hasMessageContaining("rotation.answer-timeout must be from 1s to 10m");
  }

  @Test
  void settingsThatContradictEachOtherAreRejectedByName() {
    assertThatThrownBy(() -> load("outbox.retry.base = 10m\noutbox.retry.cap = 1m\n"))
        .hasMessageContaining("outbox.retry.base (600000) must not exceed outbox.retry.cap (60000)");
    assertThatThrownBy(() -> load("outbox.max-bytes = 1KiB\n"))
        .hasMessageContaining("outbox.max-body-bytes (65536) must not exceed outbox.max-bytes (1024)");
  }

  @Test
  void theCommandLineWinsOverTheFile() throws Exception {
    Path file = dir.resolve("agent.conf");
    Files.writeString(file, "data-dir = /srv/a\nlog.level = warn\n");
    AgentConfig config = ConfigLoader.load(Optional.of(file), Map.of(Setting.DATA_DIR, "/srv/b"));
    assertThat(config.dataDir()).isEqualTo(Path.of("/srv/b"));
    assertThat(config.logLevel()).isEqualTo(LogLevel.WARN);
  }

  @Test
  void aMissingDefaultFileMeansDefaultsButAMissingNamedFileIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("nope.conf")), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.conf does not exist")
        .extracting(e -> ((ConfigException) e).kind())
        .isEqualTo(ConfigException.Kind.MISSING_FILE);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "data-dri = /x            | line 1: unknown key 'data-dri'; did you mean 'data-dir'?",
      "log.levle = info         | unknown key 'log.levle'; did you mean 'log.level'?",
      "vault.keyfile = /k       | did you mean 'vault.key-file'?",
      "colour = blue            | unknown key 'colour'; see docs/configuration.md",
      "log.level = verbose      | log.level = 'verbose' is not allowed; it must be one of trace, debug, info, warn, error",
      "data-dir = relative/dir  | data-dir = 'relative/dir' is not allowed; it must be an absolute directory path",
      "vault.credential = a b   | vault.credential = 'a b' is not allowed",
      "just some words          | line 1: expected 'key = value', found 'just some words'",
      "= value                  | expected 'key = value'",
      "outbox.default-ttl = 3   | it must be a duration such as 500ms, 10s, 5m, 24h or 7d",
      "outbox.max-bytes = lots  | it must be a size such as 65536, 64KiB, 16MiB or 1GiB",
      "outbox.when-full = panic | it must be one of refuse, drop-oldest",
      "outbox.concurrency = 0   | it must be a whole number from 1 to 256",
      "sms.relay.url = ftp://x  | it must be an http:// or https:// URL with a host",
      "sms.twilio.from = 555    | it must be an E.164 number",
      "local.idle-timeout = 0s  | local.idle-timeout must be longer than 0",
      "commands.max-lifetime = 2d | commands.max-lifetime must be from 1s to 1d",
      "webhook.allowed-urls = https://h.example/a, ftp://x | webhook.allowed-urls = 'https://h.example/a, ftp://x' is not allowed; it must be a list of http:// or https:// URL prefixes",
  })
  void aBadLineIsRejectedWithAMessageThatSaysWhatToFix(String line, String message) {
    assertThatThrownBy(() -> load(line + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((ConfigException) e).kind())
        .isEqualTo(ConfigException.Kind.INVALID);
  }

  @Test
  void aKeyGivenTwiceIsRejectedNamingBothLines() {
    assertThatThrownBy(() -> load("log.level = info\n\nlog.level = debug\n"))
        .hasMessageContaining("line 3: 'log.level' is already set on line 1");
  }

  @Test
  void aBadCommandLineValueIsRejectedToo() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(Files.createFile(dir.resolve("empty.conf"))),
            Map.of(Setting.LOG_LEVEL, "loud")))
        .hasMessageContaining("command line: log.level = 'loud' is not allowed");
  }

  @Test
  void suggestionsOnlyForPlausibleTypos() {
    assertThat(Suggestions.closest("data-dri", java.util.List.of("data-dir", "log.level"))).contains("data-dir");
    assertThat(Suggestions.closest("zzzzzzzz", java.util.List.of("data-dir", "log.level"))).isEmpty();
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
  }
}
