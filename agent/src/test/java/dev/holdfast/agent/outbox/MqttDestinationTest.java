package dev.holdfast.agent.outbox;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An mqtt record's destination is the device's events topic or a sub-topic of it, checked at enqueue. */
class MqttDestinationTest {
  private static NewMessage event(String topic) {
    return new NewMessage(Channel.MQTT, topic, "{}".getBytes(StandardCharsets.UTF_8), "application/json",
        Optional.empty(), Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"events", "events/door", "events/a/b/c/d/e/f/g", "events/meter-1.reading_2"})
  void acceptsTheEventsTopicAndItsSubTopics(String topic) {
    assertThatCode(() -> event(topic).validate(1024)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"alerts", "state", "cmd", "prov/req", "eventsx", "events/", "events//x", "events/+",
      "events/#", "events/a/b/c/d/e/f/g/h", "/events"})
  void refusesAnyOtherTopicAndSaysWhatIsAllowed(String topic) {
    assertThatThrownBy(() -> event(topic).validate(1024)).isInstanceOf(OutboxException.class)
        .hasMessageContaining("'topic' must be 'events' or 'events/'");
  }
}
