package dev.holdfast.provisioning.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.tinylog.Logger;

/**
 * At most {@code max} open connections per source address: one more is closed as soon as it is
 * accepted, before a byte of it is read, so one source cannot hold every connection or thread.
 * Only the network connection counts (TLS layers an HTTP connection on it, on the same socket).
 */
final class SourceConnectionLimit implements Connection.Listener {
  private final int max;
  private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
  /**
   * The connections counted in {@link #open}, with their source: a closed socket no longer knows
   * its peer, and a refused connection is not counted, whether or not it reports its close.
   */
  private final ConcurrentHashMap<Connection, InetAddress> counted = new ConcurrentHashMap<>();

  SourceConnectionLimit(int max) {
    this.max = max;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress source = source(connection);
    if (source == null) {
      return;
    }
    int count = open.merge(source, 1, Integer::sum);
    if (count <= max) {
      counted.put(connection, source);
      return;
    }
    release(source);
    Logger.info("closed a connection from {}: it already has {} open (api.max-connections-per-source)",
        source.getHostAddress(), max);
    connection.getEndPoint().close();
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress source = counted.remove(connection);
    if (source != null) {
      release(source);
    }
  }

  private void release(InetAddress source) {
    open.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
  }

  private static InetAddress source(Connection connection) {
    if (!(connection.getEndPoint() instanceof SocketChannelEndPoint)) {
      return null;
    }
    SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
