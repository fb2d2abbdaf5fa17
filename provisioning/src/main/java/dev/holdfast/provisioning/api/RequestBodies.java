package dev.holdfast.provisioning.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/**
 * What is left of a request body when a handler answers without needing it (a refused key, a wrong
 * content type). The JDK server then reuses or drops the connection depending on how much of the
 * body it still finds unread, and over TLS with a keep-alive client we saw the next request on that
 * connection sit until the server's idle timeout (~40 s) and fail. Reading the rest first, up to a
 * bound, leaves the connection in a known state; past the bound the connection is closed.
 */
public final class RequestBodies {
  /** More than any body we accept; a client sending more than this gets its connection closed. */
  public static final int DISCARD_LIMIT = 64 * 1024;

  private RequestBodies() {}

  /** Reads and drops what remains of the body; sets {@code Connection: close} if more than the limit. */
  public static void discardRest(HttpExchange exchange) {
    try {
      InputStream in = exchange.getRequestBody();
      if (in.read() < 0) {
        return; // the usual case, the body was read: no buffer for nothing
      }
      byte[] buf = new byte[8192];
      long total = 1;
      int n;
      while (total <= DISCARD_LIMIT && (n = in.read(buf)) >= 0) {
        total += n;
      }
      if (total > DISCARD_LIMIT) {
        exchange.getResponseHeaders().set("Connection", "close");
      }
    } catch (IOException e) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
  }
}
