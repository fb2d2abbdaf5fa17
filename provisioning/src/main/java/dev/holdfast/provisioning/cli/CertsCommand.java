package dev.holdfast.provisioning.cli;

import dev.holdfast.common.Result;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.provisioning.ca.CaRefusal;
import dev.holdfast.provisioning.ca.CertificateAuthority;
import dev.holdfast.provisioning.ca.CsrPolicy;
import dev.holdfast.provisioning.ca.DeviceCertificateVerifier;
import dev.holdfast.provisioning.ca.IssueRequest;
import dev.holdfast.provisioning.ca.IssuedCertificate;
import dev.holdfast.provisioning.ca.Pem;
import dev.holdfast.provisioning.ca.Revocation;
import dev.holdfast.provisioning.ca.RevokeRequest;
import dev.holdfast.provisioning.ca.SerialNumbers;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.vault.SecureFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "certs", mixinStandardHelpOptions = true, description = "Issue, list, verify and revoke certificates.",
    subcommands = {CertsCommand.Issue.class, CertsCommand.Revoke.class, CertsCommand.ListCerts.class,
        CertsCommand.Verify.class})
final class CertsCommand {
  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = {"Sign a device CSR (PEM or DER). The subject is the device id assigned here (or --device),",
          "never the CSR's. Prints (or writes) the chain: leaf, issuing CA, root."})
  static final class Issue extends RuntimeCommand {
    @Option(names = "--csr", required = true, paramLabel = "FILE",
        description = "The device's CSR (PEM or DER), EC P-256, signed with its own key.") Path csr;
    @Option(names = "--device", paramLabel = "ID", description = "Existing or chosen device id; default: a new one.")
    String device;
    @Option(names = "--profile", defaultValue = "default", paramLabel = "NAME",
        description = "Profile from the config file (profile.NAME.*). Default: default.") String profile;
    @Option(names = "--lifetime", paramLabel = "DURATION", description = "Default: the profile's cert-lifetime.")
    String lifetime;
    @Option(names = "--out", paramLabel = "FILE", description = "Write the chain here instead of stdout.") Path outFile;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      Duration life = lifetime != null ? Options.duration("--lifetime", lifetime)
          : rt.config.profile(profile).certLifetime();
      PublicKey key = ExitCodes.check(CsrPolicy.check(Files.readAllBytes(csr)), ExitCodes::of);
      CertificateAuthority ca = rt.ca();
      IssuedCertificate issued = ExitCodes.check(rt.registry.write(tx -> ca.issue(tx, new IssueRequest(
          device != null ? device : tx.devices().newId(rt.random), key, profile, life, rt.actor))), ExitCodes::of);
      if (outFile != null) {
        SecureFiles.writeAtomically(outFile, issued.chainPem().getBytes(StandardCharsets.US_ASCII), false);
        out().println("device " + issued.deviceId() + ": certificate " + issued.serial() + " written to " + outFile);
      } else {
        out().print(issued.chainPem());
      }
      return 0;
    }
  }

  /** Exactly one of a serial or a device. */
  static final class Target {
    @Parameters(paramLabel = "SERIAL", description = "Certificate serial (hex).") String serial;
    @Option(names = "--device", paramLabel = "ID", description = "Revoke every certificate of this device.") String device;
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revoke a certificate by serial, or a whole device (--device: the same as 'revoke --device',",
          "its API keys too). Then the CRL (ca.crl-path) and the ACL (broker.acl-path) are rewritten and the broker",
          "gets SIGHUP; exit 69 when it did not take the change (recorded; 'broker reload' and 'serve' retry it)."})
  static final class Revoke extends RuntimeCommand {
    @ArgGroup(exclusive = true, multiplicity = "1") Target target;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      if (target.device != null) {
        return RevokeCommand.device(rt, out(), target.device);
      }
      OperatorsCommand.aclPath(rt);
      CertificateAuthority ca = rt.ca();
      String serial = SerialNumbers.hex(SerialNumbers.parse(target.serial));
      Revocation done = ExitCodes.check(rt.registry.write(tx -> {
        Result<Revocation, CaRefusal> r = ca.revoke(tx, new RevokeRequest.BySerial(serial, rt.actor));
        if (r.isOk()) {
          tx.brokerReloads().markPending(rt.clock.instant(), "certificate " + serial + " revoked", Set.of());
        }
        return r;
      }), ExitCodes::of);
      for (CertificateRecord c : done.certificates()) {
        out().println("revoked " + c.serial() + " (" + c.subject() + ")");
      }
      BrokerUpdates.apply(rt, out(), "certificate " + serial + " revoked", "certificate " + serial
          + " is revoked in the registry", rt.brokerFiles());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List certificates (no private data).")
  static final class ListCerts extends RuntimeCommand {
    @Option(names = "--device", paramLabel = "ID", description = "Only this device's certificates.") String device;
    @Option(names = "--json", description = "One JSON array, for scripts.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      Instant now = rt.clock.instant();
      List<Map<String, Object>> rows = rt.registry.read(tx -> tx.certificates().all()).stream()
          .filter(c -> device == null || c.subject().equals(device))
          .sorted(Comparator.comparing(CertificateRecord::notBefore))
          .map(c -> Render.certificate(c, now)).toList();
      out().println(Render.table(rows, json, "serial", "kind", "subject", "not_after", "state"));
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check a device certificate against this fleet: chain, validity, usage, revocation.")
  static final class Verify extends RuntimeCommand {
    @Option(names = "--cert", required = true, paramLabel = "FILE", description = "The certificate (PEM).") Path cert;
    @Option(names = "--json", description = "The verdict as JSON.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      List<X509Certificate> certs = Pem.certificates(Files.readString(cert, StandardCharsets.US_ASCII));
      if (certs.isEmpty()) {
        throw ExitCodes.usage(cert + " holds no PEM certificate");
      }
      DeviceCertificateVerifier verifier = new DeviceCertificateVerifier(rt.fleet().root(), rt.fleet().issuing(),
          serial -> rt.registry.read(tx -> tx.certificates().find(serial)
              .map(c -> c.state() == CertificateRecord.State.REVOKED).orElse(false)));
      DeviceCertificateVerifier.Result r = verifier.verify(certs.get(0), rt.clock.instant());
      out().println(json ? Json.write(Json.object("verdict", r.verdict(), "device", r.deviceId(), "detail", r.detail()))
          : r.verdict() + " " + r.deviceId() + ": " + r.detail());
      return r.verdict() == DeviceCertificateVerifier.Verdict.VALID ? 0 : ExitCode.DATA_ERROR.code();
    }
  }
}
