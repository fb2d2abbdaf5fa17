package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.ca.BrokerCertificates;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "broker", mixinStandardHelpOptions = true, description = "Files for the fleet's Mosquitto broker.",
    subcommands = BrokerCommand.Certs.class)
final class BrokerCommand {
  static final String BROKER_TLS = "broker.tls";

  @Command(name = "certs", mixinStandardHelpOptions = true,
      description = {"Write what the shipped Mosquitto config reads (/etc/mosquitto/holdfast/): ca-chain.pem (issuing CA",
          "+ root), server.pem (broker certificate + issuing CA), server.key (0600) and crl.pem (0644).",
          "The broker certificate (serverAuth, --name in its SAN) is kept in the registry and reused while fresh."})
  static final class Certs extends RuntimeCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "e.g. /etc/mosquitto/holdfast")
    Path out;

    @Option(names = "--name", required = true, split = ",", paramLabel = "HOST",
        description = "Names (DNS or IP) devices use to reach the broker; repeat or separate with commas.")
    List<String> names;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      CertificateAuthority ca = rt.ca();
      var credentials = ca.serverCredentials(BROKER_TLS, names, rt.actor);
      List<Path> written = BrokerCertificates.write(out, credentials, ca.currentCrl());
      for (Path p : written) {
        out().println(p);
      }
      out().println("# server.key must be readable by the broker: chown mosquitto " + out.resolve("server.key"));
      return ExitCodes.OK;
    }
  }
}
