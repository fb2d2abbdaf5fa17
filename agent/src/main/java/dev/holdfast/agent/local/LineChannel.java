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
  /** Bytes read from {@code in} and not yet returned: {@code buffer[start..end)}. */
  private final byte[] buffer = new byte[8192];
  private int start;
  private int end;

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

  /** The next line as text (malformed UTF-8 replaced: for tests and logs only), or empty at end of stream. */
  Optional<String> readLine() throws IOException {
    return readLineBytes().map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** The next line's bytes without its newline, or empty at end of stream. */
  Optional<byte[]> readLineBytes() throws IOException {
    ByteArrayOutputStream line = null; // only for a line longer than what one read brought
    while (true) {
      if (start == end && !fill()) {
        if (line == null || line.size() == 0) {
          return Optional.empty();
        }
        return Optional.of(line.toByteArray());
      }
      int newline = indexOfNewline();
      int stop = newline < 0 ? end : newline;
      int held = line == null ? 0 : line.size();
      if (held + stop - start > MAX_LINE) {
        throw new LineTooLong();
      }
      if (newline >= 0 && line == null) {
        byte[] bytes = java.util.Arrays.copyOfRange(buffer, start, newline);
        start = newline + 1;
        return Optional.of(bytes);
      }
      if (line == null) {
        line = new ByteArrayOutputStream();
      }
      line.write(buffer, start, stop - start);
      start = newline < 0 ? end : newline + 1;
      if (newline >= 0) {
        return Optional.of(line.toByteArray());
      }
    }
  }

  private int indexOfNewline() {
    for (int i = start; i < end; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Reads what the stream has into the empty buffer; false at end of stream. */
  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    start = 0;
    end = Math.max(n, 0);
    return n > 0;
  }

  /** The next line as a JSON object; a line that is not UTF-8 is a JSON error, never decoded leniently. */
  Optional<Map<String, Object>> readObject() throws IOException, JsonParser.JsonException {
    Optional<byte[]> line = readLineBytes();
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
