package dev.holdfast.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlsTest {
  @ParameterizedTest(name = "{0} + /v1/messages")
  @CsvSource({
      "https://relay.example,             https://relay.example/v1/messages",
      "https://relay.example/,            https://relay.example/v1/messages",
      "https://h.example/holdfast,        https://h.example/holdfast/v1/messages",
      "https://h.example/holdfast//,      https://h.example/holdfast/v1/messages",
      "http://127.0.0.1:8080/a/b,         http://127.0.0.1:8080/a/b/v1/messages",
  })
  void keepsThePathOfTheBase(String base, String expected) {
    assertThat(Urls.under(URI.create(base), "/v1/messages")).isEqualTo(URI.create(expected));
  }
}
