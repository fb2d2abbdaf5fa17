package dev.holdfast.agent.local;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.json.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Newline-delimited JSON over a stream, one object per line, lines at most {@link #MAX_LINE} bytes. */
final class LineChannel {
  static final int MAX_LINE = 1 << 20;

  private final InputStream in;
  private final OutputStream out;

  LineChannel(InputStream in, OutputStream out) {
    this.in = in;
    this.out = out;
  }

  /** Thrown for a line over the limit; the connection cannot be resynchronised after it. */
  static final class LineTooLong extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLong() {
      super("request line over " + MAX_LINE + " bytes");
    }
  }

  /** The next line, or empty at end of stream. */
  Optional<String> readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return Optional.of(line.toString(StandardCharsets.UTF_8));
      }
      if (line.size() >= MAX_LINE) {
        throw new LineTooLong();
      }
      line.write(b);
    }
    return line.size() == 0 ? Optional.empty() : Optional.of(line.toString(StandardCharsets.UTF_8));
  }

  Optional<Map<String, Object>> readObject() throws IOException, JsonParser.JsonException {
    Optional<String> line = readLine();
    if (line.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(JsonParser.parseObject(line.get()));
  }

  void write(Map<String, Object> message) throws IOException {
    out.write((Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
