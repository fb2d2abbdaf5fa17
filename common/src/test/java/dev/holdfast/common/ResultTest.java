package dev.holdfast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResultTest {
  enum Why {
    UNKNOWN,
    EXPIRED
  }

  @Test
  void aSuccessCarriesItsValueAndNoReason() throws Exception {
    Result<String, Why> r = Result.ok("dev-1");

    assertThat(r.isOk()).isTrue();
    assertThat(r.ok()).contains("dev-1");
    assertThat(r.refusal()).isEmpty();
    assertThat(r.map(String::length).ok()).contains(5);
    assertThat(r.orElseThrow(f -> new IllegalStateException(f.message()))).isEqualTo("dev-1");
  }

  @Test
  void aRefusalCarriesItsReasonAndMessageThroughMapAndBecomesTheCallersException() {
    Result<String, Why> r = Result.refused(Why.EXPIRED, "token abc has expired; ask for a new one");

    assertThat(r.isOk()).isFalse();
    assertThat(r.ok()).isEmpty();
    assertThat(r.refusal()).contains(Why.EXPIRED);
    assertThat(r.map(String::length)).isEqualTo(Result.refused(Why.EXPIRED, "token abc has expired; ask for a new one"));
    assertThatThrownBy(() -> r.orElseThrow(f -> new IllegalStateException(f.reason() + ": " + f.message())))
        .hasMessage("EXPIRED: token abc has expired; ask for a new one");
  }
}
