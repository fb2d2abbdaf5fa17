package dev.holdfast.agent.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reading a pinned root from a file, and the names in certificates. */
public final class Certificates {
  /** A root certificate file is small; anything larger is the wrong file. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  private Certificates() {}

  /**
   * Reads a self-signed CA certificate (PEM or DER) to pin.
   *
   * @throws EnrollmentException {@code BAD_FLEET_ROOT} naming the file and what is wrong with it
   */
  public static X509Certificate readRoot(Path file) throws EnrollmentException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw bad(file, "is over " + MAX_FILE_BYTES + " bytes, not a certificate");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new EnrollmentException(EnrollmentException.Reason.BAD_FLEET_ROOT,
          "the fleet root file " + file + " does not exist; copy fleet-root.pem from the provisioning server");
    } catch (IOException e) {
      throw bad(file, "cannot be read (" + e.getMessage() + ")");
    }
    X509Certificate cert;
    try {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(bytes));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw bad(file, "holds no PEM or DER certificate");
    }
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) || cert.getBasicConstraints() < 0) {
      throw bad(file, "holds '" + cert.getSubjectX500Principal().getName() + "', which is not a self-signed CA "
          + "certificate");
    }
    try {
      cert.verify(cert.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw bad(file, "holds a certificate whose self-signature does not verify");
    }
    return cert;
  }

  private static EnrollmentException bad(Path file, String what) {
    return new EnrollmentException(EnrollmentException.Reason.BAD_FLEET_ROOT,
        "the fleet root file " + file + " " + what + "; use fleet-root.pem from the provisioning server");
  }

  /** The subject's common name, if it has exactly one. */
  public static Optional<String> commonName(X509Certificate cert) {
    try {
      Optional<String> cn = Optional.empty();
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          if (cn.isPresent()) {
            return Optional.empty();
          }
          cn = Optional.of(rdn.getValue().toString());
        }
      }
      return cn;
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
