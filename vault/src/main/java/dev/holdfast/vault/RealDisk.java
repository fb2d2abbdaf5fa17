package dev.holdfast.vault;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link Disk} on the machine's file system. */
final class RealDisk implements Disk {
  @Override
  public FileChannel open(Path file, Mode mode) throws IOException {
    return switch (mode) {
      case READ -> FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      case READ_WRITE -> FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
      case CREATE_NEW -> FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
          SecureFiles.ownerOnlyFile());
    };
  }

  @Override
  public boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public boolean isRegularFile(Path path) {
    return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public java.util.Optional<String> looseMode(Path dir) throws IOException {
    return SecureFiles.isOwnerOnly(dir) ? java.util.Optional.empty() : java.util.Optional.of(SecureFiles.mode(dir));
  }

  @Override
  public boolean isSymbolicLink(Path path) {
    return Files.isSymbolicLink(path);
  }

  @Override
  public long size(Path file) throws IOException {
    return Files.size(file);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> out = new ArrayList<>(entries.toList());
      out.sort(null);
      return out;
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    SecureFiles.createPrivateDirectories(dir);
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    SecureFiles.fsyncDirectory(dir);
  }

  @Override
  public String toString() {
    return "the file system";
  }
}
