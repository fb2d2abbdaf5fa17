package dev.holdfast.provisioning.cli;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.protocol.messages.EnrollError;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.protocol.messages.EnrollResponse;
import dev.holdfast.provisioning.api.EnrollFailures;
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
        "device's key) to --out (0600, never over an existing file) and prints the new device id."})
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
    EnrollResponse response;
    try {
      response = rt.enrollment().enroll(request, rt.actor);
    } catch (Exception e) {
      throw new EnrollFailed(EnrollFailures.of(e), e);
    } finally {
      request.token().destroy();
    }
    SecureFiles.writeAtomically(out, response.toJson().getBytes(StandardCharsets.UTF_8), false);
    if (json) {
      out().println(Json.write(Json.object("device", response.deviceId(),
          "serial", response.chain().get(0).getSerialNumber().toString(16), "key_id", response.apiKeyId(),
          "out", out.toString())));
    } else {
      out().println(response.deviceId());
    }
    return ExitCodes.OK;
  }

  private static EnrollRequest read(Path file) throws IOException, EnrollFailed {
    byte[] bytes;
    try (InputStream stream = Files.newInputStream(file)) {
      bytes = stream.readNBytes(EnrollRequest.MAX_BYTES + 1);
    }
    try {
      if (bytes.length > EnrollRequest.MAX_BYTES) {
        throw new EnrollFailed(new EnrollError(EnrollError.Code.TOO_LARGE,
            file + " is larger than " + EnrollRequest.MAX_BYTES + " bytes; it is not an enrollment request"), null);
      }
      return EnrollRequest.parse(bytes);
    } catch (dev.holdfast.protocol.messages.MessageException e) {
      throw new EnrollFailed(new EnrollError(EnrollError.Code.BAD_REQUEST, file + ": " + e.getMessage()), e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** An enrollment refused with one of the wire codes; the CLI prints the code and the message. */
  static final class EnrollFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final transient EnrollError error;

    EnrollFailed(EnrollError error, Throwable cause) {
      super(error.code().wire + ": " + error.message(), cause);
      this.error = error;
    }

    /** DATAERR for bad input, NOPERM for a token that entitles to nothing, else by the failure. */
    int exitCode() {
      return switch (error.code()) {
        case BAD_REQUEST, TOO_LARGE, TOKEN_MALFORMED, CSR_REJECTED -> ExitCodes.DATA;
        case TOKEN_UNKNOWN, TOKEN_EXPIRED, TOKEN_USED, TOKEN_REVOKED -> ExitCodes.NO_PERMISSION;
        case UNAVAILABLE -> getCause() == null ? ExitCodes.TEMPORARY : ExitCodes.of(getCause());
        case INTERNAL -> getCause() == null ? ExitCodes.SOFTWARE : ExitCodes.of(getCause());
      };
    }
  }
}
