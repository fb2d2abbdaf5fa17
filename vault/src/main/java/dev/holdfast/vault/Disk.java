package dev.holdfast.vault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file operation the vault and the outbox's log make, in one place: so that a test can
 * stand a simulated disk in for the real one, stop it at any write, flush, rename or delete (a
 * crash there) and tear a write, then open what such a crash would have left.
 *
 * <p>Files are created owner-only (0600) and directories 0700, from the first byte. A creation,
 * rename or deletion is durable only after {@link #syncDirectory} of its directory; data written
 * through a channel only after {@link FileChannel#force}.
 */
public interface Disk {
  /** The machine's own file system. */
  Disk REAL = new RealDisk();

  /** How {@link #open} opens a file. */
  enum Mode {
    /** An existing file, for reading only. */
    READ,
    /** An existing file, for reading and writing. */
    READ_WRITE,
    /** A new file (0600), for reading and writing; fails if it exists. */
    CREATE_NEW
  }

  /** Opens {@code file}, never following a symbolic link at its name (that fails). */
  FileChannel open(Path file, Mode mode) throws IOException;

  /** Whether anything is at {@code path}, a symbolic link included (not followed). */
  boolean exists(Path path);

  /** Whether {@code path} is a regular file itself, not a symbolic link to one. */
  boolean isRegularFile(Path path);

  /** The mode of {@code dir} if its group or others have any access to it; empty when it is the owner's alone. */
  default java.util.Optional<String> looseMode(Path dir) throws IOException {
    return java.util.Optional.empty();
  }

  /** Whether {@code path} is a symbolic link. */
  default boolean isSymbolicLink(Path path) {
    return false;
  }

  long size(Path file) throws IOException;

  /** The entries of {@code dir} (files and directories), sorted by name; empty if it does not exist. */
  List<Path> list(Path dir) throws IOException;

  /** Creates {@code dir} and missing parents, 0700; an existing directory is left as it is. */
  void createDirectories(Path dir) throws IOException;

  /** Renames {@code from} to {@code to} atomically, replacing {@code to}; both in one directory. */
  void move(Path from, Path to) throws IOException;

  /** Removes {@code file} if it exists. */
  void delete(Path file) throws IOException;

  /** Makes the creations, renames and deletions in {@code dir} durable. */
  void syncDirectory(Path dir) throws IOException;

  /** The whole content of a file. */
  default byte[] readAll(Path file) throws IOException {
    try (FileChannel ch = open(file, Mode.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new IOException(file + " is too large to read at once (" + size + " bytes)");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      int n = readFully(ch, buf, 0);
      return n == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), n);
    }
  }

  /** Reads from {@code position} until {@code buffer} is full or the file ends; returns the bytes read. */
  static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    int start = buffer.position();
    long pos = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
    return buffer.position() - start;
  }

  /** Writes all of {@code buffer} at {@code position} (a channel may write less per call). */
  static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long pos = position;
    while (buffer.hasRemaining()) {
      pos += channel.write(buffer, pos);
    }
  }
}
