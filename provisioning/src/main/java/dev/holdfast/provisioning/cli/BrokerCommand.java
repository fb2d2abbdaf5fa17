package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.broker.AclFiles;
import dev.holdfast.provisioning.broker.BrokerCertificates;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "broker", mixinStandardHelpOptions = true, description = "Files for the fleet's Mosquitto broker.",
    subcommands = BrokerCommand.Certs.class)
final class BrokerCommand {
  static final String BROKER_TLS = "broker.tls";

  @Command(name = "certs", mixinStandardHelpOptions = true,
      description = {"Write what the shipped Mosquitto config reads (/etc/mosquitto/holdfast/): ca-chain.pem (issuing CA",
          "+ root), server.pem (broker certificate + issuing CA), server.key (0600), crl.pem (0644) and",
          "holdfast.acl (0644: the shipped base ACL plus one block per operator), then SIGHUP the broker.",
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
      var credentials = rt.services().server(BROKER_TLS, names, rt.actor);
      List<Path> written = new ArrayList<>(BrokerCertificates.write(out, credentials, rt.registry.write(ca::crl)));
      Path acl = out.resolve(AclFiles.NAME);
      rt.publishAcl(acl);
      written.add(acl);
      for (Path p : written) {
        out().println(p);
      }
      out().println("# the broker reads server.key after dropping to its user: chown root:mosquitto "
          + out.resolve("server.key") + " && chmod 0640 " + out.resolve("server.key") + " (docs/broker.md)");
      return 0;
    }
  }
}
