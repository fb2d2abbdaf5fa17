package dev.holdfast.provisioning.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the data directory is and how to unlock its vault; shared by every command. */
final class DataDirOptions {
  @Option(names = "--dir", paramLabel = "DIR",
      defaultValue = "${env:HOLDFAST_PROVISIONING_DIR:-/var/lib/holdfast-provisioning}",
      description = "Data directory (vault, config, public CA files). Default: ${DEFAULT-VALUE}")
  Path dir;

  @Option(names = "--key-file", paramLabel = "FILE",
      description = "Vault key file (0600). Otherwise: systemd credential 'store-key', then HOLDFAST_PASSPHRASE.")
  Path keyFile;

  Optional<Path> keyFile() {
    return Optional.ofNullable(keyFile);
  }
}
