package dev.holdfast.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The five files the shipped broker configuration reads from {@code /etc/mosquitto/holdfast/}, here
 * wherever a test keeps them. Tests of other modules pass certificates made by their own CA.
 *
 * @param caChain     issuing CA + root, PEM (client certificates must chain to these)
 * @param serverChain the broker certificate followed by its issuing CA, PEM
 * @param serverKey   the broker's private key, PEM
 * @param crl         the issuing CA's CRL, PEM
 * @param acl         the ACL file (usually a copy of the shipped {@code holdfast.acl})
 */
public record BrokerFiles(Path caChain, Path serverChain, Path serverKey, Path crl, Path acl) {

  public BrokerFiles {
    Objects.requireNonNull(caChain, "caChain");
    Objects.requireNonNull(serverChain, "serverChain");
    Objects.requireNonNull(serverKey, "serverKey");
    Objects.requireNonNull(crl, "crl");
    Objects.requireNonNull(acl, "acl");
  }

  /** Fails naming the first file that is missing, before a broker is started with it. */
  public BrokerFiles requireExisting() {
    for (Path p : new Path[] {caChain, serverChain, serverKey, crl, acl}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("broker file missing: " + p + " (write it before starting Mosquitto)");
      }
    }
    return this;
  }
}
