package dev.holdfast.common.http;

import java.net.URI;

/** URLs built from a configured base. */
public final class Urls {
  private Urls() {}

  /**
   * {@code path} below {@code base}, keeping any path {@code base} has: {@code https://h/relay} and
   * {@code /v1/x} give {@code https://h/relay/v1/x}, where {@code URI.resolve} would drop {@code /relay}
   * (a relay or an SMS API behind a reverse proxy under a path is common).
   */
  public static URI under(URI base, String path) {
    String b = base.toString().replaceAll("/+$", "");
    return URI.create(b + path);
  }
}
