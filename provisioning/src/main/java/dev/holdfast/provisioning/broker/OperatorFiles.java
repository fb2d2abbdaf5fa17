package dev.holdfast.provisioning.broker;

import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.vault.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What an operator is handed, in one directory: {@code NAME.pem} (certificate, then the issuing CA),
 * {@code NAME.key} (its private key, PKCS#8 PEM, 0600 from the start) and {@code fleet-root.pem}
 * (to verify the broker). Each is written to a temp file, fsynced and renamed.
 */
public final class OperatorFiles {
  public static final String FLEET_ROOT = "fleet-root.pem";

  private OperatorFiles() {}

  /** The files {@link #write} would create for {@code name} in {@code dir}. */
  public static List<Path> paths(Path dir, String name) {
    return List.of(dir.resolve(name + ".pem"), dir.resolve(name + ".key"), dir.resolve(FLEET_ROOT));
  }

  /** Refuses before anything is issued when the key file exists already (it is never overwritten). */
  public static void prepare(Path dir, String name) throws IOException {
    if (!Files.isDirectory(dir)) {
      SecureFiles.createPrivateDirectories(dir);
    }
    Path key = paths(dir, name).get(1);
    if (Files.exists(key)) {
      throw new java.nio.file.FileAlreadyExistsException(key + " exists; choose another --out directory");
    }
  }

  /** Writes the three files and returns their paths (certificate, key, root). */
  public static List<Path> write(Path dir, String name, ServerCredentials credentials) throws IOException {
    List<Path> paths = paths(dir, name);
    List<java.security.cert.X509Certificate> chain = credentials.chain();
    SecureFiles.writeAtomically(paths.get(1),
        Pem.encode("PRIVATE KEY", credentials.key().getEncoded()).getBytes(StandardCharsets.US_ASCII), false);
    writePublic(paths.get(0), Pem.certificates(chain.subList(0, 2)));
    writePublic(paths.get(2), Pem.certificates(chain.subList(2, 3)));
    return paths;
  }

  private static void writePublic(Path target, String pem) throws IOException {
    SecureFiles.writeAtomically(target, pem.getBytes(StandardCharsets.US_ASCII), true);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
  }
}
