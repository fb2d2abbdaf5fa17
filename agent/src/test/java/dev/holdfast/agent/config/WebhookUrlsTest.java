package dev.holdfast.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** webhook.allowed-urls: prefixes matched on the parsed URL, never as text. */
class WebhookUrlsTest {
  static final WebhookUrls LIST =
      WebhookUrls.parse("https://hooks.example/in/, https://Ops.Example/alert http://10.0.0.5:8080");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "https://hooks.example/in/door, true",
      "https://hooks.example/in/door?x=1, true",
      "https://hooks.example:443/in/a/b, true",
      "https://HOOKS.example/in/door, true",
      "https://hooks.example/in, false",
      "https://hooks.example/inbox, false",
      "https://hooks.example/admin, false",
      "http://hooks.example/in/door, false",
      "https://hooks.example:8443/in/door, false",
      "https://hooks.example.evil.net/in/door, false",
      "https://evil.net/https://hooks.example/in/, false",
      "https://hooks.example/in/../admin, false",
      "https://hooks.example/in/./x, false",
      "https://hooks.example/in/%2e%2e/admin, false",
      "https://hooks.example/in/%2Fadmin, false",
      "https://ops.example/alert, true",
      "https://ops.example/alert/disk, true",
      "https://ops.example/alerts, false",
      "http://10.0.0.5:8080/anything, true",
      "http://10.0.0.5/anything, false",
      "https://user@hooks.example/in/door, false",
      "not a url, false"})
  void aUrlIsAllowedOnlyUnderAPrefixsSchemeHostPortAndPath(String url, boolean allowed) {
    assertThat(LIST.permits(url)).isEqualTo(allowed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://x.example/in/../", "ftp://x.example/", "https://x.example/?q=1", "/in/",
      "https://a@x.example/"})
  void aPrefixThatIsNotAPlainHttpUrlIsRefusedNamingIt(String prefix) {
    assertThatThrownBy(() -> WebhookUrls.parse("https://ok.example/, " + prefix))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(prefix);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://anywhere.example/x", "http://127.0.0.1:9/"})
  void withoutAListAnyUrlIsAllowedAsBefore(String url) {
    assertThat(WebhookUrls.ANY.permits(url)).isTrue();
    assertThat(WebhookUrls.ANY.restricted()).isFalse();
  }
}
