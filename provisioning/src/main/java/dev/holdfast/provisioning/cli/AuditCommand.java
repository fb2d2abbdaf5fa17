package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Who did what, when: issuance, revocation, keys, tokens. Keys and tokens appear by id only.")
final class AuditCommand extends RuntimeCommand {
  @Option(names = "--device", paramLabel = "ID", description = "Only events about this device.") String device;
  @Option(names = "--since", paramLabel = "T", description = "An instant (2025-03-01T00:00:00Z) or a duration ago (24h).")
  String since;
  @Option(names = "--json", description = "One JSON array, for scripts.") boolean json;

  @Override
  int run(ProvisioningRuntime rt) throws Exception {
    Instant from = since == null ? Instant.EPOCH : parseSince(since, rt.clock.instant());
    List<Map<String, Object>> rows = rt.registry.read(tx -> tx.audit().all()).stream()
        .filter(e -> !e.at().isBefore(from))
        .filter(e -> device == null || e.deviceId().filter(device::equals).isPresent())
        .map(Render::audit).toList();
    out().println(Render.table(rows, json, "at", "actor", "action", "device", "detail"));
    return 0;
  }

  static Instant parseSince(String text, Instant now) throws CliException {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return now.minus(Options.duration("--since", text));
    }
  }
}
