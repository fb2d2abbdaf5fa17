package dev.holdfast.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpStatusesTest {
  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
      "200, TAKEN", "201, TAKEN", "202, TAKEN", "204, TAKEN",
      "408, TRY_LATER", "429, TRY_LATER", "500, TRY_LATER", "502, TRY_LATER", "503, TRY_LATER", "504, TRY_LATER",
      "401, UNAUTHORIZED",
      "403, FORBIDDEN",
      "301, REDIRECT", "302, REDIRECT", "307, REDIRECT",
      "400, REFUSED", "404, REFUSED", "410, REFUSED", "413, REFUSED", "422, REFUSED", "100, REFUSED", "600, REFUSED",
  })
  void eachStatusHasOneMeaningForBothPrograms(int status, HttpStatuses.Kind kind) {
    assertThat(HttpStatuses.classify(status)).isEqualTo(kind);
  }
}
