package dev.holdfast.agent.cli;

import dev.holdfast.agent.identity.Enrollment;
import dev.holdfast.agent.identity.EnrollmentException;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.EnrollResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The inputs of {@code enroll} that come from files or standard input, read with limits. */
final class EnrollInputs {
  static final int MAX_TOKEN_BYTES = 256;
  static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  private EnrollInputs() {}

  /** The token from the option, a file or standard input ({@code -}); surrounding white space dropped. */
  static Secret token(String option, Path file, InputStream stdin, CommandSpec spec) throws CliException {
    byte[] raw;
    if (option != null) {
      raw = option.getBytes(StandardCharsets.UTF_8);
    } else {
      try (InputStream in = file.toString().equals("-") ? stdin : Files.newInputStream(file)) {
        raw = in.readNBytes(MAX_TOKEN_BYTES + 2);
      } catch (NoSuchFileException e) {
        throw new CliException(ExitCode.NO_INPUT, "the token file " + file + " does not exist");
      } catch (IOException e) {
        throw new CliException(ExitCode.IO_ERROR, "could not read the token file " + file + " (" + e.getMessage() + ")");
      }
    }
    int start = 0;
    int end = raw.length;
    while (start < end && Character.isWhitespace(raw[start])) {
      start++;
    }
    while (end > start && Character.isWhitespace(raw[end - 1])) {
      end--;
    }
    byte[] token = Arrays.copyOfRange(raw, start, end);
    Arrays.fill(raw, (byte) 0);
    boolean visible = token.length > 0 && token.length <= MAX_TOKEN_BYTES;
    for (byte b : token) {
      visible &= b >= 0x21 && b <= 0x7e;
    }
    if (!visible) {
      Arrays.fill(token, (byte) 0);
      throw new ParameterException(spec.commandLine(), "the token is empty, over " + MAX_TOKEN_BYTES
          + " characters or holds spaces or non-ASCII characters; give the token exactly as issued");
    }
    return Secret.wrap(token);
  }

  /** The air-gapped response file, parsed (a file holding an enrollment error reports that error). */
  static EnrollResponse response(Path file) throws EnrollmentException {
    try {
      if (Files.size(file) > MAX_RESPONSE_BYTES) {
        throw new EnrollmentException(EnrollmentException.Reason.RESPONSE_INVALID,
            "the response file " + file + " is over " + MAX_RESPONSE_BYTES + " bytes; it is not an enrollment response");
      }
      return Enrollment.responseFromFile(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new EnrollmentException(EnrollmentException.Reason.MISSING_INPUT, "the response file " + file
          + " does not exist");
    } catch (IOException e) {
      throw new EnrollmentException(EnrollmentException.Reason.MISSING_INPUT, "could not read the response file "
          + file + " (" + e.getMessage() + ")");
    }
  }
}
