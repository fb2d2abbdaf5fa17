package dev.holdfast.provisioning.broker;

import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.credentials.ServerCredentials;
import dev.holdfast.vault.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.util.List;
import java.util.Optional;

/**
 * The files the shipped Mosquitto configuration reads from {@code /etc/mosquitto/holdfast/}, under
 * fixed names: the CA chain clients must chain to, the broker's certificate and key, and the CRL.
 * Each is written to a temp file, fsynced, given its mode and renamed into place, then the
 * directory is fsynced, so the broker never reads half a file. The broker reads its key after
 * dropping to its own user, on start and on every SIGHUP: a replaced {@code server.key} keeps the
 * owner, group and mode of the one it replaces (set on the temp file before the rename, or the
 * command fails with nothing replaced), and a new one is {@code 0640} with group {@value #BROKER_GROUP}
 * when that group exists ({@code 0600} otherwise).
 */
public final class BrokerCertificates {
  public static final String CA_CHAIN = "ca-chain.pem";
  public static final String SERVER_CHAIN = "server.pem";
  public static final String SERVER_KEY = "server.key";
  public static final String CRL = "crl.pem";
  static final String PUBLIC = "rw-r--r--";
  /** The group the Debian broker runs as. */
  public static final String BROKER_GROUP = "mosquitto";

  private BrokerCertificates() {}

  /** Writes the four files into {@code dir} (created 0755 if missing) and returns their paths. */
  public static List<Path> write(Path dir, ServerCredentials broker, X509CRL crl) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    List<java.security.cert.X509Certificate> chain = broker.chain();
    Path caChain = replace(dir.resolve(CA_CHAIN), Pem.certificates(chain.subList(1, 3)), PUBLIC);
    Path server = replace(dir.resolve(SERVER_CHAIN), Pem.certificates(chain.subList(0, 2)), PUBLIC);
    Path key = replaceKey(dir.resolve(SERVER_KEY), Pem.encode("PRIVATE KEY", broker.key().getEncoded()));
    Path crlFile = dir.resolve(CRL);
    CrlFiles.publish(crlFile, crl, chain.get(1));
    return List.of(caChain, server, key, crlFile);
  }

  private static Path replace(Path target, String content, String mode) throws IOException {
    return replace(target, content, temp -> Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode)));
  }

  /** The key, with the owner, group and mode the broker needs (kept from the old file, see above). */
  private static Path replaceKey(Path target, String pem) throws IOException {
    Optional<PosixFileAttributes> old = Files.exists(target, LinkOption.NOFOLLOW_LINKS)
        ? Optional.of(Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS))
        : Optional.empty();
    Optional<GroupPrincipal> brokerGroup = old.isPresent() ? Optional.empty() : group(target, BROKER_GROUP);
    return replace(target, pem, temp -> {
      PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
      try {
        if (old.isPresent()) {
          if (!view.getOwner().equals(old.get().owner())) {
            view.setOwner(old.get().owner());
          }
          view.setGroup(old.get().group());
          view.setPermissions(old.get().permissions());
        } else if (brokerGroup.isPresent()) {
          view.setGroup(brokerGroup.get());
          view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
        }
      } catch (IOException e) {
        throw new IOException("cannot give the new " + target + " the owner, group and mode the broker needs "
            + old.map(a -> a.owner().getName() + ":" + a.group().getName() + " "
                + PosixFilePermissions.toString(a.permissions())).orElse(BROKER_GROUP + " group, rw-r-----")
            + " (" + e + "); run 'broker certs' as root; the old key is left in place", e);
      }
    });
  }

  private static Optional<GroupPrincipal> group(Path anyPath, String name) {
    try {
      return Optional.of(anyPath.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** What is done to the fsynced temp file before it is renamed over the target. */
  @FunctionalInterface
  private interface Prepare {
    void apply(Path temp) throws IOException;
  }

  private static Path replace(Path target, String content, Prepare prepare) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + target.getFileName() + ".new");
    try {
      SecureFiles.writeAtomically(temp, content.getBytes(StandardCharsets.US_ASCII), true);
      prepare.apply(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      SecureFiles.fsyncDirectory(dir);
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
