package dev.holdfast.bench.outbox;

import dev.holdfast.vault.SecureFiles;
import java.io.IOException;
import java.nio.file.Path;

/** Working directories that hold vaults: owner-only, as the vault requires of a data directory. */
final class BenchDirs {
  private BenchDirs() {}

  static Path privateDir(Path dir) throws IOException {
    SecureFiles.createPrivateDirectories(dir);
    java.nio.file.Files.setPosixFilePermissions(dir, SecureFiles.OWNER_RWX); // left by an older run
    return dir;
  }
}
