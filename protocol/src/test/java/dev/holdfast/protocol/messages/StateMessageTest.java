package dev.holdfast.protocol.messages;

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
  static final Instant AT = Instant.parse("2026-11-23T12:00:00Z");

  static StateMessage state(long depth, boolean online, Optional<String> pong) {
    return new StateMessage("dev-1", online, "1.2.3", Optional.of(NOT_AFTER), Optional.empty(), depth,
        Optional.of(LAST), pong);
  }

  @Test
  void theStateNamesEveryFieldAndThePongOnlyAfterAPing() throws Exception {
    Map<String, Object> json = parse(state(4, true, Optional.empty()).toJson(AT));
    assertThat(((Number) json.get("v")).intValue()).isEqualTo(1);
    assertThat(((Number) json.get("outbox_depth")).longValue()).isEqualTo(4);
    assertThat(json).containsEntry("device", "dev-1").containsEntry("online", true)
        .containsEntry("version", "1.2.3").containsEntry("cert_not_after", "2027-01-01T00:00:00Z")
        .containsEntry("api_key_expires", null)
        .containsEntry("last_delivery", "2026-11-23T11:59:00Z").containsEntry("at", "2026-11-23T12:00:00Z")
        .doesNotContainKey("pong");
    byte[] ponged = state(4, true, Optional.of("c9")).toJson(AT);
    assertThat(parse(ponged)).containsEntry("pong", "c9");
    assertThat(StateMessage.pongOf(ponged)).contains("c9");
    assertThat(StateMessage.pongOf(state(4, true, Optional.empty()).toJson(AT))).isEmpty();
    assertThat(StateMessage.pongOf("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void onlineIsReadFromAStateOrAWillAndNothingElse() {
    assertThat(StateMessage.onlineOf(state(4, true, Optional.empty()).toJson(AT))).contains(true);
    assertThat(StateMessage.onlineOf(state(4, false, Optional.empty()).toJson(AT))).contains(false);
    assertThat(StateMessage.onlineOf(StateMessage.will("dev-1", "1.2.3"))).contains(false);
    assertThat(StateMessage.onlineOf("{\"online\":\"yes\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(StateMessage.onlineOf("[true]".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(StateMessage.onlineOf("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void equalityIgnoresThePublicationTimeSoOnlyRealChangesCount() {
    assertThat(state(0, true, Optional.empty()))
        .isEqualTo(state(0, true, Optional.empty()))
        .isNotEqualTo(state(1, true, Optional.empty()))
        .isNotEqualTo(state(0, false, Optional.empty()));
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
