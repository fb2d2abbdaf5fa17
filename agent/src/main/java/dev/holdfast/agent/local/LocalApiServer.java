package dev.holdfast.agent.local;

import dev.holdfast.protocol.json.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.tinylog.Logger;

/**
 * Listens on the unix socket (mode 0660: the owner and the group may connect) and answers each
 * request line with one response line. A socket file left by a crashed agent is replaced; one
 * that another agent is listening on is not.
 */
public final class LocalApiServer implements AutoCloseable {
  private final Path socket;
  private final LocalApiHandler handler;
  private final ExecutorService connections;
  private ServerSocketChannel server;
  private Thread acceptor;
  private volatile boolean closing;

  /** @param connections runs one task per connection; its size bounds concurrent clients */
  public LocalApiServer(Path socket, LocalApiHandler handler, ExecutorService connections) {
    this.socket = socket;
    this.handler = handler;
    this.connections = connections;
  }

  /** Thrown when another agent already serves the socket. */
  public static final class InUseException extends IOException {
    private static final long serialVersionUID = 1L;

    InUseException(Path socket) {
      super("another agent is already listening on " + socket);
    }
  }

  public void start() throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
    }
    if (Files.exists(socket)) {
      if (someoneListening()) {
        throw new InUseException(socket);
      }
      Files.delete(socket);
    }
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    acceptor = new Thread(this::acceptLoop, "local-api-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    Logger.info("local API listening on {}", socket);
  }

  private boolean someoneListening() {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return probe.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private void acceptLoop() {
    while (!closing) {
      try {
        SocketChannel client = server.accept();
        try {
          connections.execute(() -> serve(client));
        } catch (RejectedExecutionException e) {
          client.close();
        }
      } catch (IOException e) {
        if (!closing) {
          Logger.warn("local API accept failed: {}", e.getMessage());
        }
      }
    }
  }

  private void serve(SocketChannel client) {
    try (client) {
      LineChannel lines = new LineChannel(new BufferedInputStream(Channels.newInputStream(client)),
          new BufferedOutputStream(Channels.newOutputStream(client)));
      while (!closing) {
        Optional<Map<String, Object>> request;
        try {
          request = lines.readObject();
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
        lines.write(handler.handle(request.get()));
      }
    } catch (IOException e) {
      Logger.debug("local API client went away: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      if (server != null) {
        server.close();
      }
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      Logger.warn("closing the local API: {}", e.getMessage());
    }
    connections.shutdown();
  }
}
