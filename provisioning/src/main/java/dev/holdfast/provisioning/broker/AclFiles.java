package dev.holdfast.provisioning.broker;

import dev.holdfast.vault.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Replaces the broker's ACL. A missing or invalid ACL at SIGHUP leaves Mosquitto with no access
 * control at all, so the file in place is only ever replaced by a complete, checked one, and never
 * deleted: checked, written to a temp file and fsynced, re-read and checked again, made 0644 (the
 * broker reads it as another user), renamed over the old one, the directory fsynced; only then is
 * the broker told to reload.
 */
public final class AclFiles {
  /** The name the shipped config reads, in {@code /etc/mosquitto/holdfast/}. */
  public static final String NAME = "holdfast.acl";

  private AclFiles() {}

  /**
   * Puts {@code text} at {@code target} as described above, then runs {@code reload} (SIGHUP, or nothing when
   * the caller signals once after several files).
   *
   * @throws AclCheck.InvalidAclException when the text (or what reads back) is not a valid ACL; nothing changed
   */
  public static void publish(Path target, String text, Reload reload)
      throws IOException, AclCheck.InvalidAclException, BrokerReloadException {
    write(target, text);
    reload.run();
  }

  /** Puts {@code text} at {@code target} as described above, and signals nothing (the caller does, once). */
  public static void write(Path target, String text) throws IOException, AclCheck.InvalidAclException {
    AclCheck.check(text);
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("directory of the ACL path " + target + " does not exist; create it or set broker.acl-path");
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Path temp = dir.resolve("." + target.getFileName() + ".new");
    try {
      SecureFiles.writeAtomically(temp, bytes, true);
      byte[] back = Files.readAllBytes(temp);
      if (!Arrays.equals(back, bytes)) {
        throw new IOException("the ACL written to " + temp + " did not read back; " + target + " left unchanged");
      }
      AclCheck.check(new String(back, StandardCharsets.UTF_8));
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      SecureFiles.fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
