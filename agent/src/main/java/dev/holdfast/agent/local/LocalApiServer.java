package dev.holdfast.agent.local;

import dev.holdfast.agent.service.OnDemandThreads;
import dev.holdfast.protocol.json.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinylog.Logger;

/**
 * Listens on the unix socket (mode 0660: the owner and the group may connect) and answers each
 * request line with one response line. A socket file left by a crashed agent is replaced; one
 * that another agent is listening on is not, and a path that is not a socket is never removed.
 * Connections are bounded by {@link Connections}: idle ones are closed after {@code
 * local.idle-timeout}, and the longest-idle one makes room for a new client.
 */
public final class LocalApiServer implements AutoCloseable {
  private final Path socket;
  private final LocalApiHandler handler;
  private final Limits limits;
  private final Connections open;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private ScheduledFuture<?> sweep;
  private ServerSocketChannel server;
  private Thread acceptor;
  private volatile boolean closing;

  /**
   * @param maxConnections clients served at once (one thread each)
   * @param idleTimeout {@code local.idle-timeout}: a connection that sends no request for this long
   *     after connecting or after its last answer is closed
   */
  public record Limits(int maxConnections, Duration idleTimeout) {
    public static final int MAX_CONNECTIONS = 16;

    public Limits {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("at least one connection, not " + maxConnections);
      }
      if (idleTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("local.idle-timeout must be longer than 0, got " + idleTimeout);
      }
    }
  }

  /**
   * @param timer runs the sweep that closes idle connections; shut down by {@link #close()}
   * @param clock what "idle since" is measured on
   */
  public LocalApiServer(Path socket, LocalApiHandler handler, Limits limits, ScheduledExecutorService timer,
      Clock clock) {
    this.socket = socket;
    this.handler = handler;
    this.limits = limits;
    this.open = new Connections(limits.maxConnections(), limits.idleTimeout(), clock);
    this.timer = timer;
    AtomicInteger n = new AtomicInteger();
    this.workers = OnDemandThreads.create(limits.maxConnections(), r -> {
      Thread t = new Thread(r, "local-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Thrown when the socket path holds something that is not a socket (a file, a directory, a
   * symlink): it is left as it is. A {@link FileAlreadyExistsException}, so the command exits 73.
   */
  public static final class NotASocketException extends FileAlreadyExistsException {
    private static final long serialVersionUID = 1L;

    NotASocketException(Path socket) {
      super(socket.toString(), null, "local.socket names " + socket
          + ", which exists and is not a socket; it was left alone: choose another --socket or local.socket,"
          + " or move that file away");
    }

    @Override
    public String getMessage() {
      return getReason();
    }
  }

  /** Thrown when another agent already serves the socket. */
  public static final class InUseException extends IOException {
    private static final long serialVersionUID = 1L;

    InUseException(Path socket) {
      super("another agent is already listening on " + socket);
    }
  }

  /**
   * Binds the socket and starts serving; on failure nothing is left running.
   *
   * @throws NotASocketException if the path holds something that is not a socket
   * @throws InUseException if another agent listens on it
   */
  public void start() throws IOException {
    try {
      SocketPath.prepare(socket);
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      timer.shutdown();
      workers.shutdown();
      throw e;
    }
    acceptor = new Thread(this::acceptLoop, "local-api-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    long period = Math.max(1, limits.idleTimeout().toMillis() / 2);
    sweep = timer.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    Logger.info("local API listening on {}", socket);
  }

  /** Closes the connections idle for {@code local.idle-timeout} or longer; returns how many. */
  int closeIdle() {
    int closed = open.closeIdle();
    if (closed > 0) {
      Logger.debug("local API: closed {} idle connection(s)", closed);
    }
    return closed;
  }

  /** Connections open now. */
  int connections() {
    return open.size();
  }

  private void acceptLoop() {
    while (!closing) {
      try {
        SocketChannel client = server.accept();
        Optional<Connections.Connection> admitted = open.admit(client);
        if (admitted.isEmpty()) {
          Logger.warn("local API: all {} connections are carrying out requests; a new client was refused",
              limits.maxConnections());
          client.close();
          continue;
        }
        try {
          workers.execute(() -> serve(admitted.get()));
        } catch (RejectedExecutionException e) {
          admitted.get().release();
        }
      } catch (IOException e) {
        if (!closing) {
          Logger.warn("local API accept failed: {}", e.getMessage());
        }
      }
    }
  }

  private void serve(Connections.Connection connection) {
    SocketChannel client = connection.channel();
    try {
      LineChannel lines = new LineChannel(new BufferedInputStream(Channels.newInputStream(client)),
          new BufferedOutputStream(Channels.newOutputStream(client)));
      while (!closing) {
        Optional<Map<String, Object>> request;
        try {
          request = lines.readObject();
          if (!connection.busy()) {
            return; // closed as idle while the line arrived: the request is not carried out
          }
        } catch (JsonParser.JsonException e) {
          lines.write(LocalApiHandler.error(LocalError.BAD_REQUEST, e.getMessage()));
          continue;
        } catch (LineChannel.LineTooLong e) {
          lines.write(LocalApiHandler.error(LocalError.TOO_LARGE, e.getMessage()));
          return;
        }
        if (request.isEmpty()) {
          return;
        }
        Map<String, Object> answer = handler.handle(request.get());
        connection.answering(); // idle from now: a client that has its answer sees the connection idle
        lines.write(answer);
        connection.answered();
      }
    } catch (IOException e) {
      Logger.debug("local API client went away: {}", e.getMessage());
    } finally {
      connection.release();
    }
  }

  @Override
  public void close() {
    closing = true;
    if (sweep != null) {
      sweep.cancel(false);
    }
    timer.shutdown();
    open.closeAll();
    try {
      if (server != null) {
        server.close();
      }
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      Logger.warn("closing the local API: {}", e.getMessage());
    }
    workers.shutdown();
  }
}
