package dev.holdfast.agent.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineChannelTest {
  private static List<String> lines(InputStream in) throws Exception {
    LineChannel channel = new LineChannel(in, new ByteArrayOutputStream());
    List<String> out = new ArrayList<>();
    for (Optional<String> line = channel.readLine(); line.isPresent(); line = channel.readLine()) {
      out.add(line.get());
    }
    return out;
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A stream that hands out one byte per read, as a slow socket may. */
  private static InputStream trickling(String text) {
    return new FilterInputStream(bytes(text)) {
      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  @Test
  void linesArriveWholeWhetherManyComeInOneReadOrEachByteInItsOwn() throws Exception {
    String text = "{\"op\":\"status\"}\n{\"é\":\"ü\"}\n\nlast without newline";
    List<String> expected = List.of("{\"op\":\"status\"}", "{\"é\":\"ü\"}", "", "last without newline");
    assertThat(lines(bytes(text))).isEqualTo(expected);
    assertThat(lines(trickling(text))).isEqualTo(expected);
  }

  @Test
  void aRequestLineThatIsNotUtf8IsAJsonErrorNotDecodedWithReplacementCharacters() throws Exception {
    byte[] latin1 = "{\"op\":\"send\",\"body\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    LineChannel channel = new LineChannel(new ByteArrayInputStream(latin1), new ByteArrayOutputStream());
    assertThatThrownBy(channel::readObject).isInstanceOf(dev.holdfast.protocol.json.JsonParser.JsonException.class)
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void aLineLongerThanTheReadBufferIsReadWhole() throws Exception {
    String big = "x".repeat(100_000);
    assertThat(lines(bytes(big + "\nnext\n"))).containsExactly(big, "next");
  }

  @Test
  void aLineOverTheLimitIsRefusedEvenBeforeItsNewline() {
    String tooLong = "y".repeat(LineChannel.MAX_LINE + 1);
    assertThatThrownBy(() -> lines(bytes(tooLong))).isInstanceOf(LineChannel.LineTooLong.class);
    assertThatThrownBy(() -> lines(bytes(tooLong + "\n"))).isInstanceOf(LineChannel.LineTooLong.class);
  }

  @Test
  void aLineExactlyAtTheLimitIsAccepted() throws Exception {
    String atLimit = "z".repeat(LineChannel.MAX_LINE);
    assertThat(lines(bytes(atLimit + "\n"))).containsExactly(atLimit);
  }
}
