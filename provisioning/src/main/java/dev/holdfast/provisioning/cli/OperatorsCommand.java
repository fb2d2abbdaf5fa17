package dev.holdfast.provisioning.cli;

import dev.holdfast.common.config.ConfigException;
import dev.holdfast.provisioning.broker.AclFiles;
import dev.holdfast.provisioning.broker.AclText;
import dev.holdfast.provisioning.broker.OperatorFiles;
import dev.holdfast.provisioning.ca.Revocation;
import dev.holdfast.provisioning.ca.SerialNumbers;
import dev.holdfast.provisioning.credentials.OperatorCredentials;
import dev.holdfast.provisioning.credentials.OperatorRole;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "operators", mixinStandardHelpOptions = true,
    description = {"Fleet operators' MQTT client certificates (CN holdfast.operator.NAME). An operator may read",
        "holdfast/v1/devices/+/state and holdfast/v1/devices/+/events/#, and write nothing. Every change rewrites",
        "broker.acl-path (the shipped base ACL plus one block per operator) and sends the broker SIGHUP."},
    subcommands = {OperatorsCommand.Add.class, OperatorsCommand.ListOperators.class, OperatorsCommand.Remove.class})
final class OperatorsCommand {
  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Issue operator NAME a new EC P-256 key and clientAuth certificate with its role (OU); write",
          "OUT/NAME.pem (certificate + issuing CA), OUT/NAME.key (0600) and OUT/fleet-root.pem. The role decides what",
          "it may run through the admin API (--service); on MQTT every operator only reads."})
  static final class Add extends RuntimeCommand {
    @Parameters(paramLabel = "NAME", description = "1 to 32 characters a-z, 0-9, '-'") String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the three files go (created 0700).")
    Path out;

    @Option(names = "--lifetime", paramLabel = "DURATION", defaultValue = "90d",
        description = "Certificate lifetime, e.g. 90d (default), 12h; at most 825d.") String lifetime;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "viewer",
        description = "viewer (default): reads the fleet through the admin API; admin: also changes it.") String role;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      OperatorCredentials.cn(name);
      OperatorRole granted = OperatorRole.parse(role);
      Duration life = Options.duration("--lifetime", lifetime);
      Optional<Path> acl = aclPath(rt);
      OperatorFiles.prepare(out, name);
      var credentials = ExitCodes.check(rt.operators().issue(name, granted, life, rt.actor), ExitCodes::of);
      List<Path> files = OperatorFiles.write(out, name, credentials);
      if (acl.isPresent()) {
        String aclText = rt.aclText();
        BrokerUpdates.apply(rt, out(), "operator " + name + " added", "operator " + name + " is added", () -> {
          AclFiles.write(acl.get(), aclText);
          return true;
        });
      }
      var leaf = credentials.chain().get(0);
      out().println("operator " + name + " (" + OperatorCredentials.cn(name) + ", role " + granted.unit()
          + "): certificate "
          + SerialNumbers.hex(leaf.getSerialNumber()) + ", valid until " + leaf.getNotAfter().toInstant());
      files.forEach(out()::println);
      out().println(acl.map(p -> "ACL rewritten: " + p).orElse("broker.acl-path is empty: ACL not written"));
      out().println("# watch devices' state (and the same with /events):");
      out().println(mosquittoSub(rt, files));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Operators and their certificates.")
  static final class ListOperators extends RuntimeCommand {
    @Option(names = "--json", description = "JSON array instead of a table.") boolean json;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      var now = rt.clock.instant();
      List<Map<String, Object>> rows = rt.operators().list().stream().map(c -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", OperatorCredentials.name(c));
        row.put("role", OperatorCredentials.role(c).unit());
        row.putAll(Render.certificate(c, now));
        row.remove("kind");
        return row;
      }).toList();
      out().println(Render.table(rows, json, "name", "role", "serial", "not_after", "state"));
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Revoke operator NAME's certificates (the CRL is rewritten at ca.crl-path) and drop its ACL block;",
          "then one SIGHUP: open sessions lose access at once, new connections are refused. Exit 69 when the",
          "broker did not take the change (recorded; 'broker reload' and 'serve' retry it)."})
  static final class Remove extends RuntimeCommand {
    @Parameters(paramLabel = "NAME", description = "The operator to remove (see 'operators list').") String name;

    @Override
    int run(ProvisioningRuntime rt) throws Exception {
      OperatorCredentials.cn(name);
      Optional<Path> acl = aclPath(rt);
      Revocation revoked = ExitCodes.check(rt.operators().remove(name, rt.actor), ExitCodes::of);
      BrokerUpdates.apply(rt, out(), "operator " + name + " removed", "operator " + name + " is removed in the registry",
          rt.brokerFiles());
      out().println("operator " + name + " removed: " + revoked.certificates().size() + " certificate(s) revoked"
          + acl.map(p -> ", ACL rewritten: " + p).orElse(""));
      return 0;
    }
  }

  /** {@code broker.acl-path}, refused before anything changes when its directory does not exist. */
  static Optional<Path> aclPath(ProvisioningRuntime rt) throws ConfigException {
    Optional<Path> acl = rt.config.broker().aclPath();
    if (acl.isPresent()) {
      Path dir = acl.get().toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new ConfigException("broker.acl-path " + acl.get() + ": directory " + dir + " does not exist; create it, "
            + "or set broker.acl-path= (empty) in " + ProvisioningConfig.FILE + " and use 'broker certs --out DIR'");
      }
    }
    return acl;
  }

  static String mosquittoSub(ProvisioningRuntime rt, List<Path> files) {
    String host = "BROKER-HOST";
    String port = "8883";
    if (rt.config.broker().mqttUri().isPresent()) {
      URI uri = URI.create(rt.config.broker().mqttUri().get());
      host = uri.getHost();
      port = uri.getPort() > 0 ? Integer.toString(uri.getPort()) : port;
    }
    return "mosquitto_sub -h " + host + " -p " + port + " --cafile " + files.get(2) + " --cert " + files.get(0)
        + " --key " + files.get(1) + " -t '" + AclText.OPERATOR_TOPICS.get(0) + "' -v";
  }
}
