package dev.holdfast.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.local.LocalError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent's table: a refusal of the outbox exits by its error code, never by its message. */
class ExitCodesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "BAD_REQUEST, 64", "INVALID, 65", "TOO_LARGE, 65", "CONFLICT, 65", "FULL, 75", "CLOSED, 75",
      "NOT_FOUND, 66", "STORAGE, 74", "INTERNAL, 70",
  })
  void eachOutboxRefusalHasItsCode(LocalError error, int code) {
    assertThat(ExitCodes.of(error).code()).isEqualTo(code);
  }
}
