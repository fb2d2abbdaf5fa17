package dev.holdfast.provisioning.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the data directory is and how to unlock its vault, or which running service to ask instead;
 * shared by every command.
 */
final class DataDirOptions {
  static final String SERVICE_ENV = "HOLDFAST_SERVICE";
  static final String OPERATOR_ENV = "HOLDFAST_OPERATOR";

  @Option(names = "--dir", paramLabel = "DIR",
      defaultValue = "${env:HOLDFAST_PROVISIONING_DIR:-/var/lib/holdfast-provisioning}",
      description = "Data directory (vault, config, public CA files). Default: ${DEFAULT-VALUE}")
  Path dir;

  @Option(names = "--key-file", paramLabel = "FILE",
      description = "Vault key file (0600). Otherwise: systemd credential 'store-key', then HOLDFAST_PASSPHRASE.")
  Path keyFile;

  @Option(names = "--service", paramLabel = "URL",
      description = {"Send the command to the running service's admin API (https://HOST:8444, admin.listen)",
          "instead of opening the data directory. Default: $" + SERVICE_ENV + "."})
  String service;

  @Option(names = "--operator", paramLabel = "DIR/NAME",
      description = {"With --service: the operator files 'operators add NAME --out DIR' wrote (DIR/NAME.pem,",
          "DIR/NAME.key, DIR/fleet-root.pem). Default: $" + OPERATOR_ENV + "."})
  String operator;

  Optional<Path> keyFile() {
    return Optional.ofNullable(keyFile);
  }

  /** {@code --service}, else {@code HOLDFAST_SERVICE} from {@code env}; empty: work on the data directory. */
  Optional<String> service(Map<String, String> env) {
    return Optional.ofNullable(service != null ? service : env.get(SERVICE_ENV)).filter(s -> !s.isBlank());
  }

  /** {@code --operator}, else {@code HOLDFAST_OPERATOR} from {@code env}. */
  Optional<String> operator(Map<String, String> env) {
    return Optional.ofNullable(operator != null ? operator : env.get(OPERATOR_ENV)).filter(s -> !s.isBlank());
  }
}
