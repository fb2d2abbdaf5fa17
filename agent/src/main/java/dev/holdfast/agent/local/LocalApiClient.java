package dev.holdfast.agent.local;

import dev.holdfast.protocol.json.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;

/** A connection to a running agent's local API. */
public final class LocalApiClient implements AutoCloseable {
  private final SocketChannel channel;
  private final LineChannel lines;

  private LocalApiClient(SocketChannel channel) {
    this.channel = channel;
    this.lines = new LineChannel(new BufferedInputStream(Channels.newInputStream(channel)),
        new BufferedOutputStream(Channels.newOutputStream(channel)));
  }

  /** Connects; fails with an IOException when no agent listens there. */
  public static LocalApiClient connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return new LocalApiClient(channel);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  public Map<String, Object> call(Map<String, Object> request) throws IOException {
    lines.write(request);
    try {
      return lines.readObject().orElseThrow(() -> new IOException("the agent closed the connection"));
    } catch (JsonParser.JsonException e) {
      throw new IOException("the agent answered something that is not JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
