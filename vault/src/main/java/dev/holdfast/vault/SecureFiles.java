package dev.holdfast.vault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that may hold secrets: created owner-only from the first byte (never chmod'ed after the
 * fact), written to a temporary file, fsynced, renamed into place, and the directory fsynced.
 */
public final class SecureFiles {
  public static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  public static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
    return PosixFilePermissions.asFileAttribute(OWNER_RW);
  }

  /** Creates {@code dir} and any missing parents as 0700; an existing directory is left as it is. */
  public static void createPrivateDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    try {
      Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_RWX));
      fsyncDirectory(parent);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute)) {
        throw e;
      }
    }
  }

  /** Creates an empty owner-only file; fails if it exists. */
  public static void createPrivateFile(Path file) throws IOException {
    Files.createFile(file, ownerOnlyFile());
  }

  /**
   * Writes {@code content} to {@code target} atomically: temp file (0600) in the same directory,
   * fsync, then a hard link (when {@code replace} is false, so an existing target is never
   * clobbered, not even by a race) or a rename, then fsync of the directory.
   *
   * @throws FileAlreadyExistsException when {@code replace} is false and the target exists
   */
  public static void writeAtomically(Path target, byte[] content, boolean replace) throws IOException {
    writeAtomically(target, content, replace, OWNER_RW);
  }

  /** As {@link #writeAtomically(Path, byte[], boolean)}, for a file others may read ({@code mode}, e.g. 0644). */
  public static void writeAtomically(Path target, byte[] content, boolean replace, Set<PosixFilePermission> mode)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
        PosixFilePermissions.asFileAttribute(mode));
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (replace) {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.createLink(target, temp);
      }
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Makes a rename or a creation in {@code dir} durable. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** True when neither group nor others have any permission on {@code file}. */
  public static boolean isOwnerOnly(Path file) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    return !perms.contains(PosixFilePermission.GROUP_READ)
        && !perms.contains(PosixFilePermission.GROUP_WRITE)
        && !perms.contains(PosixFilePermission.GROUP_EXECUTE)
        && !perms.contains(PosixFilePermission.OTHERS_READ)
        && !perms.contains(PosixFilePermission.OTHERS_WRITE)
        && !perms.contains(PosixFilePermission.OTHERS_EXECUTE);
  }

  /** The mode as four octal digits, e.g. "0644", for messages. */
  public static String mode(Path file) throws IOException {
    int mode = 0;
    for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
      mode |= 1 << (8 - p.ordinal());
    }
    return String.format("%04o", mode);
  }
}
