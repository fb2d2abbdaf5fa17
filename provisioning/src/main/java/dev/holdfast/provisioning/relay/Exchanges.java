package dev.holdfast.provisioning.relay;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.holdfast.protocol.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Small helpers for writing JSON responses and reading bounded bodies. */
final class Exchanges {
  private Exchanges() {}

  /** Thrown when a body exceeds the limit. */
  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("request body too large", null, false, false);
    }
  }

  /**
   * The body, at most {@code max} bytes. With a {@code Content-Length} the read asks for that many
   * (plus one, to notice more): the usual small body costs no {@code max}-sized buffer.
   */
  static byte[] readBody(HttpExchange exchange, Headers headers, int max) throws IOException, TooLarge {
    String length = headers.getFirst("Content-Length");
    long declared = max;
    if (length != null) {
      try {
        declared = Long.parseLong(length.trim());
        if (declared > max) {
          throw new TooLarge();
        }
      } catch (NumberFormatException e) {
        declared = max; // let the bounded read below decide
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes((int) Math.max(0, Math.min(declared, max)) + 1);
      if (body.length > max) {
        throw new TooLarge();
      }
      return body;
    }
  }

  static void json(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    dev.holdfast.provisioning.api.RequestBodies.discardRest(exchange);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String error(String code, String message) {
    return Json.write(Json.object("error", code, "message", message));
  }

  static String error(String code, String message, Map<String, Object> extra) {
    java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("error", code);
    m.putAll(extra);
    m.put("message", message);
    return Json.write(m);
  }
}
