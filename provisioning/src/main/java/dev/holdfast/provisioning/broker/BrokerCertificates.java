package dev.holdfast.provisioning.broker;

import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.vault.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.util.List;

/**
 * The files the shipped Mosquitto configuration reads from {@code /etc/mosquitto/holdfast/}, under
 * fixed names: the CA chain clients must chain to, the broker's certificate and key, and the CRL.
 * Each is written to a temp file, fsynced, given its mode and renamed into place, then the
 * directory is fsynced, so the broker never reads half a file.
 */
public final class BrokerCertificates {
  public static final String CA_CHAIN = "ca-chain.pem";
  public static final String SERVER_CHAIN = "server.pem";
  public static final String SERVER_KEY = "server.key";
  public static final String CRL = "crl.pem";
  static final String PUBLIC = "rw-r--r--";
  static final String PRIVATE = "rw-------";

  private BrokerCertificates() {}

  /** Writes the four files into {@code dir} (created 0755 if missing) and returns their paths. */
  public static List<Path> write(Path dir, ServerCredentials broker, X509CRL crl) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    List<java.security.cert.X509Certificate> chain = broker.chain();
    Path caChain = replace(dir.resolve(CA_CHAIN), Pem.certificates(chain.subList(1, 3)), PUBLIC);
    Path server = replace(dir.resolve(SERVER_CHAIN), Pem.certificates(chain.subList(0, 2)), PUBLIC);
    Path key = replace(dir.resolve(SERVER_KEY), Pem.encode("PRIVATE KEY", broker.key().getEncoded()), PRIVATE);
    Path crlFile = dir.resolve(CRL);
    CrlFiles.publish(crlFile, crl, chain.get(1));
    return List.of(caChain, server, key, crlFile);
  }

  private static Path replace(Path target, String content, String mode) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + target.getFileName() + ".new");
    try {
      SecureFiles.writeAtomically(temp, content.getBytes(StandardCharsets.US_ASCII), true);
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      SecureFiles.fsyncDirectory(dir);
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
