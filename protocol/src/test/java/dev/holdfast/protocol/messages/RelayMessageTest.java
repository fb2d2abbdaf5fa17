package dev.holdfast.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RelayMessageTest {
  static RelayMessage parse(String json) throws MessageException {
    return RelayMessage.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void whatTheAgentWritesTheRelayReads() throws Exception {
    RelayMessage m = new RelayMessage("+15551234567", "door \"opened\"\n");

    assertThat(m.toJson()).isEqualTo("{\"to\":\"+15551234567\",\"body\":\"door \\\"opened\\\"\\n\"}");
    assertThat(parse(m.toJson())).isEqualTo(m);
    assertThat(m.toString()).doesNotContain("+15551234567").doesNotContain("opened");
  }

  @ParameterizedTest(name = "{0} -> field {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"to\":\"+15551234567\"}                          | body",
      "{\"to\":\"+15551234567\",\"body\":\"  \"}          | body",
      "{\"body\":\"hi\"}                                  | to",
      "{\"to\":\"5551234567\",\"body\":\"hi\"}            | to",
      "{\"to\":\"+15551234567\",\"body\":\"hi\",\"x\":1}  | x",
      "[1]                                                | (body)",
      "{nope                                              | (body)",
  })
  void everyRefusalNamesItsField(String json, String field) {
    assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(MessageException.class,
        e -> assertThat(e.field()).contains(field));
  }

  @Test
  void refusesABodyOverTheLimitAndBytesThatAreNotUtf8() {
    assertThatThrownBy(() -> parse(new RelayMessage("+15551234567", "x".repeat(1601)).toJson()))
        .hasMessageContaining("longer than 1600");
    assertThatThrownBy(() -> RelayMessage.parse(new byte[] {'{', (byte) 0xff, '}'})).hasMessageContaining("not UTF-8");
  }

  @ParameterizedTest(name = "{0} is E.164")
  @ValueSource(strings = {"+15551234567", "+4930123456", "+1234567", "+123456789012345"})
  void acceptsE164Numbers(String number) {
    assertThat(PhoneNumbers.isE164(number)).isTrue();
  }

  @ParameterizedTest(name = "{0} is not E.164")
  @ValueSource(strings = {"15551234567", "+05551234567", "+123456", "+1234567890123456", "+1 555 123", ""})
  void refusesAnythingElse(String number) {
    assertThat(PhoneNumbers.isE164(number)).isFalse();
  }
}
