package dev.holdfast.provisioning.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.tinylog.Logger;

/**
 * A bound on the time to read a request: an HTTP connection must deliver its request line, headers
 * and whole body within {@code limit} of opening (TLS handshake included) or of its previous
 * response, or it is closed, which also fails a handler blocked reading that body. Handling the
 * request once read (an upstream call) is not bounded here. Counted from the open and the last
 * response, not the first byte, so an idle keep-alive connection is closed after the same time.
 */
final class ReadDeadlines implements Connection.Listener {
  private final Scheduler scheduler;
  private final Duration limit;
  private final ConcurrentHashMap<Connection, Scheduler.Task> armed = new ConcurrentHashMap<>();

  ReadDeadlines(Scheduler scheduler, Duration limit) {
    this.scheduler = scheduler;
    this.limit = limit;
  }

  @Override
  public void onOpened(Connection connection) {
    arm(connection);
  }

  @Override
  public void onClosed(Connection connection) {
    disarm(connection);
  }

  /** {@code next}, with the deadline lifted when the body has been read and set again after the response. */
  Handler wrap(Handler next) {
    return new Handler.Wrapper(next) {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        Request reading = new Request.Wrapper(request) {
          @Override
          public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast()) {
              disarm(connection);
            }
            return chunk;
          }
        };
        return super.handle(reading, response, Callback.from(callback, () -> arm(connection)));
      }
    };
  }

  private void arm(Connection connection) {
    Scheduler.Task task = scheduler.schedule(() -> expire(connection), limit.toMillis(), TimeUnit.MILLISECONDS);
    Scheduler.Task old = armed.put(connection, task);
    if (old != null) {
      old.cancel();
    }
    if (!connection.getEndPoint().isOpen()) {
      disarm(connection);
    }
  }

  private void disarm(Connection connection) {
    Scheduler.Task task = armed.remove(connection);
    if (task != null) {
      task.cancel();
    }
  }

  private void expire(Connection connection) {
    if (armed.remove(connection) != null) {
      Logger.info("closed a connection from {}: no whole request within {} s (api.read-timeout)",
          connection.getEndPoint().getRemoteSocketAddress(), limit.toSeconds());
      connection.getEndPoint().close();
    }
  }
}
