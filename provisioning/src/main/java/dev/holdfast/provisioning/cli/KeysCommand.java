package dev.holdfast.provisioning.cli;

import dev.holdfast.protocol.json.Json;
import dev.holdfast.provisioning.apikeys.ApiKeyService;
import dev.holdfast.provisioning.registry.ApiKeyRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "API keys of devices.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an API key for a device. The key is printed once, here, and stored only as an HMAC.")
  static final class Create extends RuntimeCommand {
    @Option(names = "--device", required = true, paramLabel = "ID", description = "The (active) device.") String device;
    @Option(names = "--scopes", split = ",", defaultValue = "messages:send,events:publish", paramLabel = "SCOPE",
        description = "messages:send, events:publish. Default: both.") List<String> scopes;
    @Option(names = "--ttl", defaultValue = "90d", paramLabel = "DURATION",
        description = "Lifetime of the key. Default: 90d.") String ttl;
    @Option(names = "--json", description = "JSON, for scripts.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      ApiKeyService.Created c = ExitCodes.check(rt.apiKeys().create(device, new LinkedHashSet<>(scopes),
          Options.duration("--ttl", ttl), rt.actor), ExitCodes::of);
      if (json) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(Render.key(c.record(), rt.clock.instant()));
        m.put("key", c.key().reveal());
        out().println(Json.write(m));
      } else {
        out().println(c.key().reveal());
        out().println("# id " + c.key().id() + ", device " + device + ", expires " + c.record().expiresAt()
            + ". This is the only time the key is shown.");
      }
      c.key().destroy();
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = {"List API keys (ids only, never keys)",
      "with each key's last use and request count as the relay last wrote them (at most "
          + "60 s behind a running relay)."})
  static final class ListKeys extends RuntimeCommand {
    @Option(names = "--device", paramLabel = "ID", description = "Only this device's keys.") String device;
    @Option(names = "--unused-for", paramLabel = "DURATION",
        description = {"Only active keys not used within this time (e.g. 30d); a key never used counts",
            "from its creation. Candidates for 'keys revoke'."}) String unusedFor;
    @Option(names = "--json", description = "JSON, for scripts (a key never used has last_used null).") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      Instant now = rt.clock.instant();
      Optional<Duration> window = unusedFor == null ? Optional.empty()
          : Optional.of(Options.duration("--unused-for", unusedFor));
      List<ApiKeyRecord> keys = window.isPresent() ? rt.apiKeys().unusedFor(window.get(), Optional.ofNullable(device))
          : rt.apiKeys().list(Optional.ofNullable(device));
      List<Map<String, Object>> rows = keys.stream()
          .map(k -> json ? Render.key(k, now) : Render.keyForPeople(k, now)).toList();
      out().println(Render.table(rows, json, "id", "device", "state", "scopes", "expires", "last_used", "requests"));
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke an API key now, or with --grace let it work until the window ends.")
  static final class Revoke extends RuntimeCommand {
    @Parameters(paramLabel = "ID", description = "The key's public id (8 characters after hf_).") String id;
    @Option(names = "--grace", paramLabel = "DURATION",
        description = "Keep the key working this long (state GRACE), e.g. 24h.") String grace;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      Optional<Duration> window = grace == null ? Optional.empty() : Optional.of(Options.duration("--grace", grace));
      ApiKeyRecord k = ExitCodes.check(rt.apiKeys().revoke(id, window, rt.actor), ExitCodes::of);
      out().println("key " + k.id() + " is " + k.state()
          + k.graceUntil().map(t -> " until " + t).orElse(""));
      return 0;
    }
  }
}
