package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.broker.AclFiles;
import dev.holdfast.provisioning.broker.BrokerCertificates;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.registry.PendingReload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "broker", mixinStandardHelpOptions = true, description = "Files for the fleet's Mosquitto broker.",
    subcommands = {BrokerCommand.Certs.class, BrokerCommand.Reload.class})
final class BrokerCommand {
  static final String BROKER_TLS = "broker.tls";

  @Command(name = "certs", mixinStandardHelpOptions = true,
      description = {"Write what the shipped Mosquitto config reads (/etc/mosquitto/holdfast/): ca-chain.pem (issuing CA",
          "+ root), server.pem (broker certificate + issuing CA), server.key, crl.pem (0644) and holdfast.acl (0644:",
          "the shipped base ACL, one block per operator, a deny block per revoked device), then SIGHUP the broker.",
          "server.key keeps the owner, group and mode of the file it replaces (root:mosquitto 0640 as installed);",
          "a new one is 0640 with group mosquitto (0600 without that group). Exit 69 when the broker did not take",
          "the change (recorded; 'broker reload' and 'serve' retry it). The broker certificate (serverAuth, --name",
          "in its SAN) is kept in the registry and reused while fresh."})
  static final class Certs extends RuntimeCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "e.g. /etc/mosquitto/holdfast")
    Path out;

    @Option(names = "--name", required = true, split = ",", paramLabel = "HOST",
        description = "Names (DNS or IP) devices use to reach the broker; repeat or separate with commas.")
    List<String> names;

    @Option(names = "--no-reload",
        description = "Do not signal the broker: first installation, the broker is not running yet (start it after).")
    boolean noReload;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      CertificateAuthority ca = rt.ca();
      var credentials = rt.services().server(BROKER_TLS, names, rt.actor);
      var crl = rt.registry.write(ca::crl);
      List<Path> written = new ArrayList<>();
      Path acl = out.resolve(AclFiles.NAME);
      String aclText = rt.aclText();
      if (noReload) {
        written.addAll(BrokerCertificates.write(out, credentials, crl));
        AclFiles.write(acl, aclText);
      } else {
        BrokerUpdates.apply(rt, out(), "broker files written to " + out, "the broker files are written to " + out,
            () -> {
              written.addAll(BrokerCertificates.write(out, credentials, crl));
              AclFiles.write(acl, aclText);
              return true;
            });
      }
      written.add(acl);
      for (Path p : written) {
        out().println(p);
      }
      return 0;
    }
  }

  @Command(name = "reload", mixinStandardHelpOptions = true,
      description = {"Bring the broker up to date with the registry: rewrite the CRL (ca.crl-path) and the ACL",
          "(broker.acl-path), SIGHUP the broker, close the open sessions of devices revoked since the last reload.",
          "What a failed reload left pending ('devices show' says so); 'serve' does the same every 30 s.",
          "Exit 69 when the broker still does not take it."})
  static final class Reload extends RuntimeCommand {
    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      OperatorsCommand.aclPath(rt);
      Optional<PendingReload> pending = rt.registry.read(tx -> tx.brokerReloads().pending());
      String what = pending.map(PendingReload::what).orElse("reload");
      pending.ifPresent(p -> out().println("pending since " + p.since() + ": " + p.what()));
      BrokerUpdates.apply(rt, out(), what, "the CRL and ACL are rewritten", rt.brokerFiles());
      out().println("the broker is up to date with the registry");
      return 0;
    }
  }
}
