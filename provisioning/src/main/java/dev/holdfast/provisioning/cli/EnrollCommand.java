package dev.holdfast.provisioning.cli;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.provisioning.tokens.Enrollment;
import dev.holdfast.vault.SecureFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "enroll", mixinStandardHelpOptions = true,
    description = {"Air-gapped enrollment: redeem a token for a CSR. Writes the certificate chain to --out",
        "and prints the new API key once (carry it to the device; it is not stored in clear anywhere)."})
final class EnrollCommand extends RuntimeCommand {
  @Option(names = "--token", required = true, description = "The one-time token (hfe_...).") String token;
  @Option(names = "--csr", required = true, paramLabel = "FILE",
      description = "The device's CSR (PEM or DER), EC P-256, signed with its own key.") Path csr;
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the chain (PEM) goes.") Path chain;
  @Option(names = "--json", description = "Device id, serial, key id and key as JSON.") boolean json;

  @Override
  int run(ProvisioningRuntime rt) throws Exception {
    Enrollment.Result r = rt.enrollment().enroll(token, Files.readAllBytes(csr), rt.actor);
    SecureFiles.writeAtomically(chain, r.certificate().chainPem().getBytes(StandardCharsets.US_ASCII), false);
    if (json) {
      out().println(Json.write(Json.object("device", r.certificate().deviceId(), "serial", r.certificate().serial(),
          "chain", chain.toString(), "key_id", r.key().key().id(), "key", r.key().key().reveal())));
    } else {
      out().println("device " + r.certificate().deviceId() + " enrolled; chain written to " + chain);
      out().println(r.key().key().reveal());
      out().println("# API key " + r.key().key().id() + ": this is the only time it is shown.");
    }
    r.key().key().destroy();
    return ExitCodes.OK;
  }
}
