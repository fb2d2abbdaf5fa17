package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.provisioning.rotation.RemoteRotation;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rotate", mixinStandardHelpOptions = true,
    description = {"Rotate one device's certificate and API key now: sends it a signed 'rotate'",
        "command over the broker, waits for its confirm, then prints the new serial and",
        "API key id (docs/rotation.md).",
        "With 'serve' running, run it through the service: --service URL",
        "--operator DIR/NAME (role admin); the service sends the command over its own",
        "broker connection. With the service stopped, run it on the service host: it",
        "connects as the service and answers the device itself."})
final class RotateCommand extends RuntimeCommand {
  @Option(names = "--device", required = true, paramLabel = "ID", description = "The device id (dev-...).") String device;
  @Option(names = "--mqtt", paramLabel = "ssl://HOST:PORT", description = "Default: broker.mqtt-uri.") String mqtt;
  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
      description = "How long to wait for the device's confirm (default ${DEFAULT-VALUE}).") String timeout;
  @Option(names = "--json", description = "JSON, for scripts.") boolean json;

  @Override
  int run(ProvisioningRuntime rt) throws Exception {
    Duration wait = Options.duration("--timeout", timeout);
    return AsTheService.run(rt, mqtt, wait, () -> Options.activeDevice(rt, device),
        (connection, rotation) -> report(rotation.rotate(connection, device, wait)));
  }

  private int report(RemoteRotation.Outcome outcome) throws CliException {
    if (outcome instanceof RemoteRotation.Outcome.Confirmed c) {
      var r = c.rotation();
      out().println(json ? Json.write(Json.object("device", device, "request", r.requestId(), "old_serial",
          r.oldSerial(), "new_serial", r.newSerial(), "old_api_key", r.oldKeyId(), "new_api_key", r.newKeyId(),
          "millis", c.took().toMillis()))
          : "rotated " + device + " in " + c.took().toMillis() + " ms: certificate " + r.oldSerial() + " -> "
              + r.newSerial() + ", API key " + r.oldKeyId() + " -> " + r.newKeyId() + " (old ones revoked)");
      return 0;
    }
    if (outcome instanceof RemoteRotation.Outcome.Refused r) {
      throw new CliException(ExitCode.UNAVAILABLE, r.why());
    }
    RemoteRotation.Outcome.TimedOut t = (RemoteRotation.Outcome.TimedOut) outcome;
    throw new CliException(ExitCode.TEMP_FAIL, "device " + device + " did not confirm a rotation in time ("
        + t.pending().map(p -> "rotation " + p.requestId() + " is " + p.state()).orElse("no renew arrived: is it online?")
        + "); it keeps its working credentials and retries by itself; see 'devices show " + device + "'");
  }
}
