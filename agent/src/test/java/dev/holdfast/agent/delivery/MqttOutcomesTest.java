package dev.holdfast.agent.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.link.PublishResult;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MqttOutcomesTest {
  record Case(PublishResult result, Class<? extends DeliveryOutcome> outcome, String reason) {}

  @Test
  void everyPublishResultBecomesTheRightOutcome() {
    Case[] cases = {
        new Case(new PublishResult.Acked(0x00), DeliveryOutcome.Delivered.class, "PUBACK 0x00"),
        new Case(new PublishResult.Acked(0x10), DeliveryOutcome.Delivered.class, "no matching subscribers"),
        new Case(new PublishResult.Acked(0x87), DeliveryOutcome.Permanent.class, "0x87 not authorized"),
        new Case(new PublishResult.Acked(0x90), DeliveryOutcome.Permanent.class, "topic name invalid"),
        new Case(new PublishResult.Acked(0x95), DeliveryOutcome.Permanent.class, "too large"),
        new Case(new PublishResult.Acked(0x99), DeliveryOutcome.Permanent.class, "payload format invalid"),
        new Case(new PublishResult.Acked(0x97), DeliveryOutcome.Retry.class, "0x97 quota exceeded"),
        new Case(new PublishResult.Acked(0x80), DeliveryOutcome.Retry.class, "0x80 refused"),
        new Case(new PublishResult.Acked(0x83), DeliveryOutcome.Retry.class, "0x83 refused"),
        new Case(new PublishResult.NotConnected("waiting"), DeliveryOutcome.Retry.class, "no MQTT connection"),
        new Case(new PublishResult.TimedOut(), DeliveryOutcome.Retry.class, "mqtt.timeout"),
        new Case(new PublishResult.Failed("Connection lost"), DeliveryOutcome.Retry.class, "Connection lost"),
    };
    for (Case c : cases) {
      DeliveryOutcome o = MqttOutcomes.of(c.result());
      assertThat(o).as(c.result().toString()).isInstanceOf(c.outcome());
      assertThat(o.reason()).as(c.result().toString()).contains(c.reason());
    }
  }

  @Test
  void noRefusalIsEverDeliveredAndRetriesCarryNoRetryAfter() {
    for (int code = 0x80; code <= 0xff; code++) {
      DeliveryOutcome o = MqttOutcomes.of(new PublishResult.Acked(code));
      assertThat(o).as("0x%02X", code).isNotInstanceOf(DeliveryOutcome.Delivered.class);
      if (o instanceof DeliveryOutcome.Retry r) {
        assertThat(r.retryAfter()).isEqualTo(Optional.empty());
      }
    }
  }

  @Test
  void recordsGoToTheEventsTopicOrASubTopicOfItAndNowhereElse() {
    String id = "dev-0123456789abcdef";
    assertThat(MqttSender.topic(id, "events")).contains("holdfast/v1/devices/dev-0123456789abcdef/events");
    assertThat(MqttSender.topic(id, "events/door/front"))
        .contains("holdfast/v1/devices/dev-0123456789abcdef/events/door/front");
    assertThat(MqttSender.topic(id, "state")).isEmpty();
    assertThat(MqttSender.topic(id, "eventsx")).isEmpty();
    assertThat(MqttSender.topic(id, "cmd")).isEmpty();
  }
}
