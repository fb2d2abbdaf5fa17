package dev.holdfast.provisioning.broker;

import dev.holdfast.provisioning.ca.Crls;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.vault.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Publishes a CRL for the broker. The broker runs with no CRL at all when the file is unreadable or
 * truncated at reload, so the file is replaced only by a complete, verified, world-readable one:
 * its signature checked, written to a temp file and fsynced, read back byte for byte, made 0644 (a
 * CRL is public and the broker runs as another user), then renamed over the old one and the
 * directory fsynced.
 */
public final class CrlFiles {
  private CrlFiles() {}

  public static void publish(Path target, X509CRL crl, X509Certificate issuing) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("directory of the CRL path " + target + " does not exist");
    }
    if (!Crls.signedBy(crl, issuing)) {
      throw new IOException("the CRL for " + target + " does not verify with the key of "
          + issuing.getSubjectX500Principal());
    }
    Path temp = dir.resolve("." + target.getFileName() + ".new");
    byte[] pem = Crls.pem(crl).getBytes(StandardCharsets.US_ASCII);
    try {
      SecureFiles.writeAtomically(temp, pem, true);
      if (!Arrays.equals(Files.readAllBytes(temp), pem)) {
        throw new IOException("CRL written to " + temp + " did not read back");
      }
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      SecureFiles.fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The CRL at {@code file} when it exists, parses and is signed by {@code issuing}; else empty. */
  public static java.util.Optional<X509CRL> read(Path file, X509Certificate issuing) {
    try {
      return java.util.Optional.of(verify(file, issuing));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static X509CRL verify(Path file, X509Certificate issuing) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      var blocks = Pem.decodeAll(text, "X509 CRL");
      if (blocks.size() != 1) {
        throw new IOException("the CRL at " + file + " holds " + blocks.size() + " CRLs, not one");
      }
      X509CRL crl = Crls.parse(blocks.get(0));
      if (!Crls.signedBy(crl, issuing)) {
        throw new IOException("the CRL at " + file + " does not verify with the key of "
            + issuing.getSubjectX500Principal());
      }
      return crl;
    } catch (GeneralSecurityException e) {
      throw new IOException("the CRL at " + file + " does not parse: " + e.getMessage(), e);
    }
  }
}
