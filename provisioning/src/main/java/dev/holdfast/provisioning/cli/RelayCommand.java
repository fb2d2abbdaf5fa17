package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.crypto.Secret;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "relay", mixinStandardHelpOptions = true,
    description = {"Run the HTTPS API (POST /v1/messages and POST /v1/enroll) with the CA-issued certificate,",
        "refusing to start without an SMS upstream. 'serve' does the same and also runs the MQTT responder.",
        "Holds the data directory until stopped (SIGTERM); other commands then exit 75 (in use)."},
    subcommands = RelayCommand.SetAuthToken.class)
final class RelayCommand extends RuntimeCommand {
  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Default: relay.listen from the config file.")
  String listen;

  @Option(names = "--insecure-http",
      description = "Serve plain HTTP on a loopback address (development only; keys travel in clear).")
  boolean insecureHttp;

  @Override
  int run(ProvisioningRuntime rt) throws Exception {
    InetSocketAddress address = parse(listen != null ? listen : rt.config.relayListen());
    if (insecureHttp && (address.getAddress() == null || !address.getAddress().isLoopbackAddress())) {
      throw ExitCodes.usage("--insecure-http is only allowed on a loopback address (127.0.0.1:PORT); "
          + "drop it to serve HTTPS on " + address.getHostString());
    }
    if (insecureHttp) {
      main().err.println("holdfast-provisioning: WARNING: plain HTTP, API keys are sent in clear");
      main().err.flush();
    }
    Serving.Running running = Serving.start(rt, address, insecureHttp, true, java.util.Optional.empty());
    ProvisioningRuntime.awaitShutdown(running::stop);
    return 0;
  }

  static InetSocketAddress parse(String hostPort) throws CliException {
    int colon = hostPort.lastIndexOf(':');
    try {
      if (colon <= 0) {
        throw new NumberFormatException();
      }
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(hostPort.substring(0, colon).replace("[", "").replace("]", ""), port);
    } catch (NumberFormatException e) {
      throw ExitCodes.usage("--listen must be HOST:PORT (e.g. 0.0.0.0:8443), got '" + hostPort + "'");
    }
  }

  @Command(name = "set-auth-token", mixinStandardHelpOptions = true,
      description = {"Read the upstream token (Twilio auth token, or the webhook's bearer token) from standard input and seal it in the vault.",
          "It goes into an HTTP header: printable ASCII without spaces only (else exit 65, nothing stored)."})
  static final class SetAuthToken extends RuntimeCommand {
    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      main().in.transferTo(buf);
      String token = buf.toString(StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw ExitCodes.usage("no auth token on standard input");
      }
      OptionalInt bad = HeaderTokens.firstInvalid(token);
      if (bad.isPresent()) {
        // Never the value, nor the character itself: both belong to a secret.
        throw new CliException(ExitCode.DATA_ERROR, "the auth token has a character that cannot go into an HTTP "
            + "header at position " + (bad.getAsInt() + 1) + " (" + HeaderTokens.describe(token, bad.getAsInt())
            + "); nothing was stored: copy the token again, it is printable ASCII without spaces");
      }
      rt.setUpstreamToken(Secret.copyOf(token.getBytes(StandardCharsets.UTF_8)));
      out().println("upstream auth token stored (sealed)");
      return 0;
    }
  }
}
