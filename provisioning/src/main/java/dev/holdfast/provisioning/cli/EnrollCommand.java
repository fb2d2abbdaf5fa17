package dev.holdfast.provisioning.cli;

import dev.holdfast.common.Result;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.protocol.messages.MessageException;
import dev.holdfast.vault.SecureFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "enroll", mixinStandardHelpOptions = true,
    description = {"Air-gapped enrollment: the same messages as POST /v1/enroll, as files.",
        "Reads the device's request (token + CSR), writes the signed response (chain, API key sealed to the",
        "device's key) to --out (0600, never over an existing file) and prints the new device id.",
        "A refused token or CSR exits as 'holdfast-agent enroll' does: 82 unknown or malformed, 83 expired,",
        "84 used, 85 revoked, 86 CSR refused (docs/exit-codes.md)."})
final class EnrollCommand extends RuntimeCommand {
  @Option(names = "--in", required = true, paramLabel = "REQUEST.json",
      description = "The request file written by 'holdfast-agent enroll' (holds the one-time token).") Path in;
  @Option(names = "--out", required = true, paramLabel = "RESPONSE.json",
      description = "Where the response goes; must not exist yet.") Path out;
  @Option(names = "--json", description = "Print device id, serial and key id as JSON.") boolean json;

  @Override
  int run(ProvisioningRuntime rt) throws Exception {
    if (Files.exists(out)) {
      throw new FileAlreadyExistsException(out + " exists; choose another --out (a response is never overwritten)");
    }
    EnrollRequest request = read(in);
    Result<EnrollResponse, EnrollError.Code> outcome;
    try {
      outcome = rt.enrollment().enroll(request, rt.actor);
    } finally {
      request.token().destroy();
    }
    if (outcome instanceof Result.Refused<EnrollResponse, EnrollError.Code> r) {
      throw refused(new EnrollError(r.reason(), r.message()));
    }
    EnrollResponse response = outcome.ok().orElseThrow();
    SecureFiles.writeAtomically(out, response.toJson().getBytes(StandardCharsets.UTF_8), false);
    if (json) {
      out().println(Json.write(Json.object("device", response.deviceId(),
          "serial", response.chain().get(0).getSerialNumber().toString(16), "key_id", response.apiKeyId(),
          "out", out.toString())));
    } else {
      out().println(response.deviceId());
    }
    return 0;
  }

  private static EnrollRequest read(Path file) throws IOException, CliException {
    byte[] bytes;
    try (InputStream stream = Files.newInputStream(file)) {
      bytes = stream.readNBytes(EnrollRequest.MAX_BYTES + 1);
    }
    try {
      if (bytes.length > EnrollRequest.MAX_BYTES) {
        throw refused(new EnrollError(EnrollError.Code.TOO_LARGE,
            file + " is larger than " + EnrollRequest.MAX_BYTES + " bytes; it is not an enrollment request"));
      }
      return EnrollRequest.parse(bytes);
    } catch (MessageException e) {
      throw refused(new EnrollError(EnrollError.Code.BAD_REQUEST, file + ": " + e.getMessage()));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** A refusal with its wire code first, as the device would be told it, and the agent's exit code for it. */
  private static CliException refused(EnrollError error) {
    return new CliException(ExitCodes.of(error.code()), error.code().wire + ": " + error.message());
  }
}
