package dev.holdfast.provisioning.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Create a data directory: the vault (provisioning.db), the root and issuing CA (EC P-256),",
        "the command-signing key, the API key and token peppers, and provisioning.properties.",
        "Writes fleet-root.pem, ca-chain.pem and command-signing.pub.pem (public) beside them."})
final class InitCommand implements Callable<Integer> {
  @Mixin DataDirOptions data;
  @Spec CommandSpec spec;

  @Option(names = "--fleet-name", defaultValue = "Holdfast Fleet", description = "Name in the CA certificates.")
  String fleetName;

  @Option(names = "--server-name", split = ",", defaultValue = "localhost,127.0.0.1",
      description = "DNS names / IPs of the relay's TLS certificate. Default: ${DEFAULT-VALUE}")
  List<String> serverNames;

  @Option(names = "--crl-path", paramLabel = "FILE", description = "Rewrite this CRL file on every revocation.")
  Path crlPath;

  @Override
  public Integer call() throws Exception {
    Main main = (Main) spec.root().userObject();
    if (data.service != null) {
      throw ExitCodes.usage("init runs on the service host only: drop --service");
    }
    ProvisioningRuntime.Initialized done = ProvisioningRuntime.init(data.dir, data.keyFile(), main.env, fleetName,
        serverNames, Optional.ofNullable(crlPath));
    main.out.println("initialised " + done.dir() + " (vault key from " + done.keyOrigin() + ")");
    main.out.println("  fleet root (pin on devices): " + done.root());
    main.out.println("  CA chain (Mosquitto cafile): " + done.chain());
    main.out.println("  command-signing public key:  " + done.commandKey());
    return 0;
  }
}
