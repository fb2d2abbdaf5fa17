package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.protocol.json.Json;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.CertificateRecord;
import dev.holdfast.provisioning.registry.Device;
import dev.holdfast.provisioning.registry.Labels;
import dev.holdfast.provisioning.rotation.FleetSelection;
import dev.holdfast.provisioning.service.Pinger;
import dev.holdfast.provisioning.service.ServiceTls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "devices", mixinStandardHelpOptions = true, description = "Devices of the fleet.",
    subcommands = {DevicesCommand.ListDevices.class, DevicesCommand.Show.class, DevicesCommand.Label.class,
        DevicesCommand.Ping.class})
final class DevicesCommand {
  /** {@code label} checked, as a usage error naming {@code option} and the rule. */
  static String label(String option, String label) throws CliException {
    try {
      return Labels.check(label);
    } catch (IllegalArgumentException e) {
      throw ExitCodes.usage(option + ": " + e.getMessage());
    }
  }

  @Command(name = "label", mixinStandardHelpOptions = true, description = {
      "Add labels to a device or take them off; prints the labels it carries then.",
      "Labels put devices into cohorts: 'devices list --label L', 'fleet rotate --label L'.",
      "A device starts with the labels of its token's profile (profile.NAME.labels).",
      "A label is 1-63 of a-z, 0-9, '.', '_', '-', '=', ':' (e.g. pilot, site=berlin); at most "
          + Labels.MAX + " per device."})
  static final class Label extends RuntimeCommand {
    @Parameters(paramLabel = "ID", description = "The device id.") String id;
    @Option(names = "--add", paramLabel = "LABEL", description = "A label to add (repeatable).")
    List<String> add = new ArrayList<>();
    @Option(names = "--remove", paramLabel = "LABEL", description = "A label to take off (repeatable).")
    List<String> remove = new ArrayList<>();
    @Option(names = "--json", description = "JSON, for scripts.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      if (add.isEmpty() && remove.isEmpty()) {
        throw ExitCodes.usage("name at least one --add LABEL or --remove LABEL");
      }
      for (String l : add) {
        label("--add", l);
      }
      for (String l : remove) {
        label("--remove", l);
      }
      Optional<SortedSet<String>> now = rt.registry.write(tx -> {
        Optional<Device> d = tx.devices().find(id);
        if (d.isEmpty()) {
          return Optional.<SortedSet<String>>empty();
        }
        TreeSet<String> labels = new TreeSet<>(d.get().labels());
        labels.addAll(add);
        labels.removeAll(remove);
        if (labels.size() > Labels.MAX) {
          return Optional.<SortedSet<String>>of(labels);
        }
        tx.devices().put(d.get().withLabels(labels));
        tx.audit().append(AuditEvent.of(rt.clock.instant(), rt.actor, "device.labels", id,
            "added " + add + ", removed " + remove + ": now " + labels));
        return Optional.<SortedSet<String>>of(labels);
      });
      SortedSet<String> labels = now.orElseThrow(() -> new CliException(ExitCode.NO_INPUT, "no device " + id
          + " ('devices list' shows them)"));
      if (labels.size() > Labels.MAX) {
        throw ExitCodes.usage("a device carries at most " + Labels.MAX + " labels; " + id + " would carry "
            + labels.size() + ": take some off with --remove");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("labels", List.copyOf(labels));
      out().println(json ? Json.write(m) : id + ": " + (labels.isEmpty() ? "(no labels)" : String.join(", ", labels)));
      return 0;
    }
  }

  @Command(name = "ping", mixinStandardHelpOptions = true,
      description = {"Send the device a signed ping command over the broker and wait for its pong in its retained state.",
          "Prints the round trip. Not while 'serve' holds the data directory (it would be kicked off the broker:",
          "both connect as holdfast.provisioning)."})
  static final class Ping extends RuntimeCommand {
    @Parameters(index = "0", paramLabel = "DEVICE", description = "The device id (dev-...).") String device;
    @Option(names = "--mqtt", paramLabel = "ssl://HOST:PORT", description = "Default: broker.mqtt-uri.") String mqtt;
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
        description = "How long to wait for the pong (default ${DEFAULT-VALUE}).") String timeout;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      Duration wait = Options.duration("--timeout", timeout);
      String uri = Options.brokerFor(mqtt, rt, device);
      var tls = ServiceTls.context(rt.services().serviceClient(Serving.SERVICE_MQTT, rt.actor), rt.fleet().root(),
          rt.random);
      Pinger.Pong pong = new Pinger(rt.commandSigner(), rt.clock, rt.random).ping(uri, tls.getSocketFactory(),
          device, wait);
      out().println("pong from " + device + " in " + pong.roundTrip().toMillis() + " ms (command " + pong.commandId()
          + ")");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List devices, their labels and their current certificate.")
  static final class ListDevices extends RuntimeCommand {
    @Option(names = "--label", paramLabel = "LABEL", description = "Only devices that carry this label.")
    String label;
    @Option(names = "--expiring-within", paramLabel = "DURATION",
        description = "Only devices whose current certificate expires within this time (e.g. 7d).")
    String expiringWithin;
    @Option(names = "--json", description = "JSON, for scripts.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      Instant now = rt.clock.instant();
      Optional<Instant> before = expiringWithin == null ? Optional.empty()
          : Optional.of(now.plus(Options.duration("--expiring-within", expiringWithin)));
      Optional<String> only = label == null ? Optional.empty() : Optional.of(label("--label", label));
      List<Map<String, Object>> rows = rt.registry.read(tx -> {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Device d : tx.devices().all()) {
          Optional<CertificateRecord> cert = FleetSelection.currentCertificate(tx, d);
          if (before.isPresent() && !FleetSelection.expiresBefore(d, cert, before.get())
              || only.isPresent() && !d.hasLabel(only.get())) {
            continue;
          }
          out.add(Render.device(d, cert, now));
        }
        out.sort(Comparator.comparing(m -> m.get("id").toString()));
        return out;
      });
      out().println(Render.table(rows, json, "id", "state", "profile", "labels", "certificate"));
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = {
      "One device: certificates, API keys (with each key's last use and request count), its latest rotation",
      "(rotation: rotation pending, while new credentials wait for the confirm of the device), and whether",
      "the broker has taken every change yet (a revocation it has not re-read, a session not yet closed)."})
  static final class Show extends RuntimeCommand {
    @Parameters(paramLabel = "ID", description = "The device id.") String id;
    @Option(names = "--json", description = "JSON, for scripts.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      Instant now = rt.clock.instant();
      Map<String, Object> view = rt.registry.read(tx -> {
        Optional<Device> d = tx.devices().find(id);
        if (d.isEmpty()) {
          return Optional.<Map<String, Object>>empty();
        }
        Map<String, Object> m = new LinkedHashMap<>(Render.device(d.get(), d.get().currentSerial().isPresent()
            ? tx.certificates().find(d.get().currentSerial().get()) : Optional.empty(), now));
        m.put("certificates", tx.certificates().of(CertificateRecord.Kind.DEVICE, id).stream()
            .map(c -> Render.certificate(c, now)).toList());
        m.put("api_keys", tx.apiKeys().ofDevice(id).stream()
            .map(k -> json ? Render.key(k, now) : Render.keyForPeople(k, now)).toList());
        m.put("last_rotation", tx.rotations().find(id).map(Render::rotation).orElse(null));
        m.put("broker", Render.broker(tx.brokerReloads().pending(), id));
        return Optional.of(m);
      }).orElseThrow(() -> new CliException(ExitCode.NO_INPUT, "no device " + id));
      if (json) {
        out().println(Json.write(view));
      } else {
        view.forEach((k, v) -> out().println(k + ": " + (v instanceof List<?> || v instanceof Map<?, ?> ? Json.write(v) : v)));
      }
      return 0;
    }
  }
}
