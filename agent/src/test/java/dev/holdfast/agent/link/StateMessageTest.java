package dev.holdfast.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.protocol.json.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateMessageTest {
  static final Instant NOT_AFTER = Instant.parse("2027-01-01T00:00:00Z");
  static final Instant LAST = Instant.parse("2026-11-23T11:59:00Z");

  @Test
  void theStateNamesEveryFieldAndThePongOnlyAfterAPing() throws Exception {
    DeviceState s = new DeviceState("1.2.3", Optional.of(NOT_AFTER), Optional.empty(), 4, Optional.of(LAST));
    Map<String, Object> json = parse(StateMessage.json(StateMessage.content("dev-1", true, s, Optional.empty()),
        Instant.parse("2026-11-23T12:00:00Z")));
    assertThat(((Number) json.get("v")).intValue()).isEqualTo(1);
    assertThat(((Number) json.get("outbox_depth")).longValue()).isEqualTo(4);
    assertThat(json).containsEntry("device", "dev-1").containsEntry("online", true)
        .containsEntry("version", "1.2.3").containsEntry("cert_not_after", "2027-01-01T00:00:00Z")
        .containsEntry("api_key_expires", null)
        .containsEntry("last_delivery", "2026-11-23T11:59:00Z").containsEntry("at", "2026-11-23T12:00:00Z")
        .doesNotContainKey("pong");
    Map<String, Object> ponged = parse(StateMessage.json(StateMessage.content("dev-1", true, s, Optional.of("c9")),
        Instant.parse("2026-11-23T12:00:00Z")));
    assertThat(ponged).containsEntry("pong", "c9");
  }

  @Test
  void contentIgnoresThePublicationTimeSoOnlyRealChangesCount() {
    DeviceState s = new DeviceState("1", Optional.empty(), Optional.empty(), 0, Optional.empty());
    DeviceState deeper = new DeviceState("1", Optional.empty(), Optional.empty(), 1, Optional.empty());
    assertThat(StateMessage.content("d", true, s, Optional.empty()))
        .isEqualTo(StateMessage.content("d", true, s, Optional.empty()))
        .isNotEqualTo(StateMessage.content("d", true, deeper, Optional.empty()))
        .isNotEqualTo(StateMessage.content("d", false, s, Optional.empty()));
  }

  @Test
  void theLastWillSaysOffline() throws Exception {
    assertThat(parse(StateMessage.will("dev-1", "1.2.3"))).containsEntry("online", false)
        .containsEntry("device", "dev-1").containsEntry("reason", "connection lost");
  }

  private static Map<String, Object> parse(byte[] json) throws Exception {
    return JsonParser.parseObject(new String(json, StandardCharsets.UTF_8));
  }
}
