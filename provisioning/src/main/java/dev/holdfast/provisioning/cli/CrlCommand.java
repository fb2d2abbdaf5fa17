package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.broker.CrlFiles;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "crl", mixinStandardHelpOptions = true, description = "The certificate revocation list.",
    subcommands = CrlCommand.Export.class)
final class CrlCommand {
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Write a fresh, signed CRL (PEM) for Mosquitto's crlfile: temp file, fsync, verify, mode 0644,",
          "rename; then SIGHUP the broker (broker.pid-file) so it reads it: exit 69 when it did not (recorded;",
          "'broker reload' and 'serve' retry it). Run it well before the CRL's nextUpdate (ca.crl-validity) unless",
          "serve or relay is running: they check every 10 minutes and rewrite it once less than half of its",
          "validity is left."})
  static final class Export extends RuntimeCommand {
    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "Where the CRL goes (replaced atomically, mode 0644).") Path outFile;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      CertificateAuthority ca = rt.ca();
      var crl = rt.registry.write(ca::crl);
      var issuing = rt.fleet().issuing();
      BrokerUpdates.apply(rt, out(), "CRL exported to " + outFile, "CRL written to " + outFile, () -> {
        CrlFiles.publish(outFile, crl, issuing);
        return true;
      });
      out().println("CRL written to " + outFile + " (" + (crl.getRevokedCertificates() == null ? 0
          : crl.getRevokedCertificates().size()) + " revoked, next update " + crl.getNextUpdate().toInstant() + ")");
      return 0;
    }
  }
}
