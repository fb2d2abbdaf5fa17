package dev.holdfast.agent.local;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes the socket's path ready to bind: its directory exists (created 0750), and a socket file a
 * crashed agent left is removed. Nothing but a socket is ever removed: a file, a directory or a
 * symlink at the path (the vault, say, by a mistaken {@code --socket}) is left as it is.
 */
final class SocketPath {
  private SocketPath() {}

  static void prepare(Path socket) throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
    }
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!isSocket(socket)) {
      throw new LocalApiServer.NotASocketException(socket);
    }
    if (someoneListening(socket)) {
      throw new LocalApiServer.InUseException(socket);
    }
    Files.delete(socket);
  }

  /** A unix socket itself, not a symlink to one (S_IFSOCK in the file's mode). */
  private static boolean isSocket(Path path) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & 0170000) == 0140000;
  }

  private static boolean someoneListening(Path socket) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return probe.isConnected();
    } catch (IOException e) {
      return false;
    }
  }
}
