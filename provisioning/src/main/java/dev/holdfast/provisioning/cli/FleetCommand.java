package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.provisioning.rotation.FleetRotation;
import dev.holdfast.provisioning.rotation.FleetSelection;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Commands over many devices at once.",
    subcommands = {FleetCommand.Rotate.class})
final class FleetCommand {
  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = {"Rotate the certificate and API key of many devices: a signed 'rotate'",
          "command to each, never more than --max-in-flight at once; each ends",
          "confirmed, offline-pending or failed. Run again, it resumes: devices",
          "confirmed since the campaign began are not rotated again.",
          "Run it through the service (--service URL --operator DIR/NAME, role admin)",
          "while 'serve' runs, or on the service host with the service stopped",
          "(docs/rotation.md). Exit 0: all confirmed; 75: some offline-pending;",
          "69: some failed."})
  static final class Rotate extends RuntimeCommand {
    /** Which devices. */
    static final class Selection {
      @Option(names = "--all", required = true, description = "Every active device.") boolean all;
      @Option(names = "--label", required = true, paramLabel = "LABEL",
          description = "Active devices that carry LABEL ('devices label', profile.NAME.labels).") String label;
      @Option(names = "--expiring-within", required = true, paramLabel = "DURATION",
          description = "Active devices whose current certificate expires within DURATION (e.g. 30d).")
      String expiringWithin;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Selection selection;
    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "20",
        description = "The most devices rotating at once (default ${DEFAULT-VALUE}).") int maxInFlight;
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
        description = "How long each device has to confirm (default ${DEFAULT-VALUE}).") String timeout;
    @Option(names = "--mqtt", paramLabel = "ssl://HOST:PORT",
        description = "On the host: the broker (default: broker.mqtt-uri).") String mqtt;
    @Option(names = "--json", description = "JSON, for scripts.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      Duration wait = Options.duration("--timeout", timeout);
      if (maxInFlight < 1 || maxInFlight > 1000) {
        throw ExitCodes.usage("--max-in-flight must be between 1 and 1000, not " + maxInFlight);
      }
      Duration expiring = selection.expiringWithin == null ? null
          : Options.duration("--expiring-within", selection.expiringWithin);
      String label = selection.label == null ? null : DevicesCommand.label("--label", selection.label);
      FleetSelection chosenBy = selection.all ? new FleetSelection.All() : label != null
          ? new FleetSelection.Labelled(label) : new FleetSelection.ExpiringWithin(expiring);
      String name = chosenBy.name();
      return AsTheService.run(rt, mqtt, wait, () -> { }, (connection, remote) -> {
        FleetRotation fleet = new FleetRotation(rt.registry, remote, rt.clock, maxInFlight, wait);
        FleetRotation.Campaign campaign = fleet.begin(name, rt.actor);
        Instant now = rt.clock.instant();
        List<String> chosen = rt.registry.read(tx -> chosenBy.devices(tx, now));
        List<String> todo = new ArrayList<>();
        for (String d : chosen) {
          if (!fleet.rotatedIn(campaign, d)) {
            todo.add(d);
          }
        }
        PrintWriter err = main().err;
        err.println((campaign.resumed() ? "resuming the rotation of " + name + " begun " + campaign.startedAt()
            : "rotating " + name) + ": " + chosen.size() + " device(s), " + (chosen.size() - todo.size())
            + " already rotated, " + todo.size() + " to go, at most " + maxInFlight + " at once");
        err.flush();
        boolean terminal = rt.service().isEmpty() && System.console() != null;
        List<FleetRotation.DeviceOutcome> outcomes = fleet.rotate(connection, todo, (o, done, total) -> {
          synchronized (err) {
            String line = done + "/" + total + " " + o.deviceId() + " " + words(o.result()) + " ("
                + o.took().toMillis() + " ms)";
            err.print(terminal ? "\r" + line + "   " : line + "\n");
            err.flush();
          }
        });
        if (terminal && !todo.isEmpty()) {
          err.println();
        }
        return report(rt, fleet, campaign, chosen.size() - todo.size(), outcomes);
      });
    }

    private int report(ProvisioningRuntime rt, FleetRotation fleet, FleetRotation.Campaign campaign, int before,
        List<FleetRotation.DeviceOutcome> outcomes) throws Exception {
      Map<FleetRotation.Result, Integer> counts = new EnumMap<>(FleetRotation.Result.class);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (FleetRotation.DeviceOutcome o : outcomes) {
        counts.merge(o.result(), 1, Integer::sum);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("device", o.deviceId());
        row.put("result", words(o.result()));
        row.put("new_serial", o.result() == FleetRotation.Result.CONFIRMED
            ? o.rotation().map(r -> (Object) r.newSerial()).orElse("") : "");
        row.put("new_api_key", o.result() == FleetRotation.Result.CONFIRMED
            ? o.rotation().map(r -> (Object) r.newKeyId()).orElse("") : "");
        row.put("millis", o.took().toMillis());
        row.put("detail", o.detail());
        rows.add(row);
      }
      int confirmed = counts.getOrDefault(FleetRotation.Result.CONFIRMED, 0);
      int pending = counts.getOrDefault(FleetRotation.Result.OFFLINE_PENDING, 0);
      int failed = counts.getOrDefault(FleetRotation.Result.FAILED, 0);
      if (!rows.isEmpty() || json) {
        out().println(Render.table(rows, json, "device", "result", "new_serial", "new_api_key", "millis", "detail"));
      }
      PrintWriter err = main().err;
      err.println("confirmed " + confirmed + ", offline-pending " + pending + ", failed " + failed
          + (before > 0 ? "; " + before + " rotated earlier in this campaign" : ""));
      if (pending == 0 && failed == 0) {
        fleet.finish(campaign, rt.actor);
        return 0;
      }
      err.println("the campaign stays open: run the same command again to rotate the rest (offline devices keep"
          + " working credentials, and renew by themselves before they expire)");
      throw new CliException(failed > 0 ? ExitCode.UNAVAILABLE : ExitCode.TEMP_FAIL, (pending + failed)
          + " device(s) not rotated");
    }

    private static String words(FleetRotation.Result r) {
      return r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }
}
