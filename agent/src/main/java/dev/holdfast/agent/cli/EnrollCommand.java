package dev.holdfast.agent.cli;

import dev.holdfast.agent.config.AgentConfig;
import dev.holdfast.agent.identity.Certificates;
import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.Enrollment;
import dev.holdfast.agent.identity.EnrollmentClient;
import dev.holdfast.agent.identity.EnrollmentException;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.agent.identity.TlsContexts;
import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.protocol.messages.EnrollRequest;
import dev.holdfast.vault.SecureFiles;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code holdfast-agent enroll}: the device's first identity, over HTTPS or as two files (docs/enrollment.md). */
@Command(name = "enroll", mixinStandardHelpOptions = true,
    description = {"Gives this device its identity: a key generated here, a certificate and an API key.",
        "Online:     enroll --token-file F --server https://HOST:PORT --fleet-root fleet-root.pem",
        "Air-gapped: enroll --token-file F --request-out request.json, then",
        "            enroll --response-in response.json --fleet-root fleet-root.pem",
        "Prints the device id. Stop the agent first. Exit codes 79-88: docs/exit-codes.md."})
final class EnrollCommand implements Callable<Integer> {
  /** Written once the identity is stored; the systemd unit's ConditionPathExists= names it. */
  static final String ENROLLED_MARKER = "enrolled";

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  @ParentCommand AgentCommand root;
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true)
  TokenSource tokenSource;

  static final class TokenSource {
    @Option(names = "--token", paramLabel = "T", description = "The one-time enrollment token (visible in the process "
        + "list and shell history: prefer --token-file).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from FILE, or from standard "
        + "input with '-'.")
    Path tokenFile;
  }

  @Option(names = "--server", paramLabel = "URL", description = "The provisioning API, https://HOST[:PORT]; its "
      + "certificate must chain to --fleet-root and name HOST.")
  URI server;

  @Option(names = "--fleet-root", paramLabel = "FILE", description = "The fleet's root certificate (PEM or DER) "
      + "to pin.")
  Path fleetRoot;

  @Option(names = "--request-out", paramLabel = "FILE", description = "Air-gapped, step 1: write the request to FILE "
      + "(0600) instead of sending it.")
  Path requestOut;

  @Option(names = "--response-in", paramLabel = "FILE", description = "Air-gapped, step 2: verify and store the "
      + "response in FILE.")
  Path responseIn;

  @Option(names = "--force", description = "Replace the identity of an enrolled device.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    checkMode();
    X509Certificate pinned = requestOut == null ? readRoot() : null;
    Secret token = responseIn == null ? EnrollInputs.token(tokenSource.token, tokenSource.tokenFile,
        root.context.in(), spec) : null;
    AgentConfig config = root.loadConfig();
    try (Vault vault = openVault(config)) {
      Enrollment enrollment = new Enrollment(new IdentityStore(vault), root.context.random(), root.context.clock());
      enrollment.checkNotEnrolled(force);
      if (responseIn != null) {
        enrolled(enrollment.complete(EnrollInputs.response(responseIn), pinned), config);
      } else if (requestOut != null) {
        writeRequest(enrollment.request(token));
      } else {
        EnrollmentClient client = new EnrollmentClient(server,
            TlsContexts.trustingOnly(pinned, root.context.random()), TIMEOUT);
        enrolled(enrollment.complete(client.enroll(enrollment.request(token)), pinned), config);
      }
    } catch (EnrollmentException e) {
      throw new CliException(ExitCodes.of(e.reason()), e.getMessage());
    } finally {
      if (token != null) {
        token.destroy();
      }
    }
    return 0;
  }

  private void checkMode() {
    if (responseIn != null) {
      refuse(tokenSource != null || server != null || requestOut != null,
          "--response-in takes only --fleet-root (and --force): the token went with the request");
      refuse(fleetRoot == null, "--response-in needs --fleet-root FILE to check the response against");
    } else if (requestOut != null) {
      refuse(server != null || fleetRoot != null, "--request-out writes a file: drop --server and --fleet-root "
          + "(give --fleet-root with --response-in)");
      refuse(tokenSource == null, "--request-out needs the token: --token-file FILE (or --token T)");
    } else {
      refuse(tokenSource == null || server == null || fleetRoot == null, "enroll needs --token-file FILE (or --token "
          + "T), --server URL and --fleet-root FILE; or the air-gapped --request-out / --response-in");
      refuse(!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null,
          "--server must be an https:// URL with a host name, e.g. https://prov.example:8443");
    }
  }

  private void refuse(boolean condition, String message) {
    if (condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  private X509Certificate readRoot() throws CliException {
    try {
      return Certificates.readRoot(fleetRoot);
    } catch (EnrollmentException e) {
      throw new CliException(ExitCodes.of(e.reason()), e.getMessage());
    }
  }

  private Vault openVault(AgentConfig config) throws VaultException, CliException {
    try {
      return VaultAccess.open(root.context, config);
    } catch (VaultException e) {
      if (e.reason() == VaultException.Reason.LOCKED) {
        throw new CliException(ExitCode.TEMP_FAIL, "the vault " + config.vaultFile() + " is in use by another process: "
            + "stop the agent first (systemctl stop holdfast-agent), enroll, then start it again");
      }
      throw e;
    }
  }

  private void writeRequest(EnrollRequest request) throws CliException {
    byte[] json = request.toJson().getBytes(StandardCharsets.UTF_8);
    try {
      SecureFiles.writeAtomically(requestOut.toAbsolutePath(), json, false);
    } catch (FileAlreadyExistsException e) {
      throw new CliException(ExitCode.CANT_CREATE, requestOut + " already exists; choose another path or remove it "
          + "(the device key is kept, a new request uses it again)");
    } catch (IOException e) {
      throw new CliException(ExitCode.IO_ERROR, "could not write " + requestOut + " (" + e.getMessage() + ")");
    } finally {
      java.util.Arrays.fill(json, (byte) 0);
    }
    root.context.out().println("wrote the enrollment request to " + requestOut + " (it holds the token: delete it "
        + "once the response is back); then run: holdfast-agent enroll --response-in FILE --fleet-root FILE");
  }

  /**
   * Prints the device id and writes {@code <data-dir>/enrolled} (the id; nothing secret), the file
   * the systemd unit waits for: before enrollment the vault belongs to the bench commands. The
   * identity is already stored, so a failed write is a warning, not a failure.
   */
  private void enrolled(CredentialSet set, AgentConfig config) {
    root.context.out().println(set.deviceId());
    Path marker = config.dataDir().resolve(ENROLLED_MARKER);
    try {
      SecureFiles.writeAtomically(marker, (set.deviceId() + "\n").getBytes(StandardCharsets.US_ASCII), true);
    } catch (IOException e) {
      root.context.err().println("holdfast-agent: warning: enrolled as " + set.deviceId() + ", but could not write "
          + marker + " (" + e.getMessage() + "); the systemd unit starts only once it exists: write the device id "
          + "into it");
    }
  }
}
