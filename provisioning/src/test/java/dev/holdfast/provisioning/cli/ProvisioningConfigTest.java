package dev.holdfast.provisioning.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.common.config.ConfigFile;
import dev.holdfast.provisioning.api.ApiLimits;
import dev.holdfast.provisioning.relay.RelaySettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProvisioningConfigTest {
  static ConfigFile props(String text) throws Exception {
    return ConfigFile.parse(ProvisioningConfig.FILE, text.lines().toList(), ProvisioningConfig.KEYS);
  }

  @Test
  void readsTheFileInitWritesWithA30DayDeviceLifetimeAndTheTwilioUpstream() throws Exception {
    ProvisioningConfig c = ProvisioningConfig.parse(props(
        ProvisioningConfig.initialText("Fleet", List.of("relay.example"), Optional.empty())));

    assertThat(c.ca().deviceLifetime()).isEqualTo(Duration.ofDays(30));
    assertThat(c.relay().upstream()).isEqualTo(RelaySettings.Upstream.TWILIO);
    assertThat(c.relay().upstreamBaseUrl()).isEqualTo(URI.create("https://api.twilio.com"));
    assertThat(c.relay().serverNames()).containsExactly("relay.example");
  }

  @Test
  void forwardsToAWebhookWhenTheKindSaysSo() throws Exception {
    ProvisioningConfig c = ProvisioningConfig.parse(props(
        "relay.upstream.kind=webhook\nrelay.upstream.webhook-url=https://hooks.example/sms\n"));

    assertThat(c.relay().upstream()).isEqualTo(RelaySettings.Upstream.WEBHOOK);
    assertThat(c.relay().upstreamBaseUrl()).isEqualTo(URI.create("https://hooks.example/sms"));
  }

  @Test
  void namesTheSettingWhenTheUpstreamIsMisconfigured() throws Exception {
    assertThatThrownBy(() -> ProvisioningConfig.parse(props("relay.upstream.kind=webhook\n")))
        .hasMessageContaining("relay.upstream.webhook-url");
    assertThatThrownBy(() -> ProvisioningConfig.parse(props("relay.upstream.kind=sms\n")))
        .hasMessageContaining("relay.upstream.kind").hasMessageContaining("'twilio' or 'webhook'");
    assertThatThrownBy(() -> ProvisioningConfig.parse(props(
        "relay.upstream.kind=webhook\nrelay.upstream.webhook-url=ftp://x/y\n")))
        .hasMessageContaining("relay.upstream.webhook-url must be an http(s) URL");
  }

  @Test
  void readsTheApiLimitsWithSaneDefaultsAndNamesTheSettingOfABadOne() throws Exception {
    ProvisioningConfig initial = ProvisioningConfig.parse(props(
        ProvisioningConfig.initialText("Fleet", List.of("relay.example"), Optional.empty())));
    ProvisioningConfig set = ProvisioningConfig.parse(props("api.read-timeout=2s\napi.max-connections-per-source=3\n"
        + "api.enroll-rate-limit.burst=4\napi.enroll-rate-limit.per-minute=5\n"));

    assertThat(initial.api()).isEqualTo(ApiLimits.defaults());
    assertThat(ProvisioningConfig.parse(props("")).api()).isEqualTo(ApiLimits.defaults());
    assertThat(set.api()).isEqualTo(new ApiLimits(Duration.ofSeconds(2), 3, 4, 5));
    assertThatThrownBy(() -> ProvisioningConfig.parse(props("api.max-connections-per-source=0\n")))
        .hasMessageContaining("api.max-connections-per-source");
    assertThatThrownBy(() -> ProvisioningConfig.parse(props("api.read-timeout=0s\n")))
        .hasMessageContaining("api.read-timeout");
    assertThatThrownBy(() -> ProvisioningConfig.parse(props("api.enroll-rate-limit.burst=many\n")))
        .hasMessageContaining("api.enroll-rate-limit.burst").hasMessageContaining("a whole number");
  }

  @Test
  void theAdminApiListensOnLoopback8444UnlessTheFileSaysOtherwiseAndEmptyTurnsItOff() throws Exception {
    assertThat(ProvisioningConfig.parse(props("")).adminListen()).contains("127.0.0.1:8444");
    assertThat(ProvisioningConfig.parse(props(ProvisioningConfig.initialText("Fleet", List.of("relay.example"),
        Optional.empty()))).adminListen()).contains("127.0.0.1:8444");
    assertThat(ProvisioningConfig.parse(props("admin.listen=0.0.0.0:9444\n")).adminListen()).contains("0.0.0.0:9444");
    assertThat(ProvisioningConfig.parse(props("admin.listen=\n")).adminListen()).isEmpty();
    assertThatThrownBy(() -> props("admin.listn=1\n")).hasMessageContaining("did you mean 'admin.listen'");
  }
}
