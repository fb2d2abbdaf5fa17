package dev.holdfast.provisioning.cli;

import dev.holdfast.provisioning.credentials.OperatorRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * Which leaf command an operator may run through the admin API, and with which role; and the
 * commands that only ever run on the service host. {@code CommandRolesTest} walks the picocli tree:
 * a new command that is in neither table fails the build.
 */
final class CommandRoles {
  private CommandRoles() {}

  /** Command path (names below the root, space-separated) to the least role that may run it remotely. */
  static final Map<String, OperatorRole> ROLES = Map.ofEntries(
      Map.entry("devices list", OperatorRole.VIEWER),
      Map.entry("devices show", OperatorRole.VIEWER),
      Map.entry("certs list", OperatorRole.VIEWER),
      Map.entry("keys list", OperatorRole.VIEWER),
      Map.entry("tokens list", OperatorRole.VIEWER),
      Map.entry("operators list", OperatorRole.VIEWER),
      Map.entry("audit", OperatorRole.VIEWER),
      Map.entry("tokens create", OperatorRole.ADMIN),
      Map.entry("tokens revoke", OperatorRole.ADMIN),
      Map.entry("keys create", OperatorRole.ADMIN),
      Map.entry("keys revoke", OperatorRole.ADMIN),
      Map.entry("revoke", OperatorRole.ADMIN),
      Map.entry("devices label", OperatorRole.ADMIN),
      Map.entry("certs revoke", OperatorRole.ADMIN),
      Map.entry("operators add", OperatorRole.ADMIN),
      Map.entry("operators remove", OperatorRole.ADMIN),
      Map.entry("broker reload", OperatorRole.ADMIN),
      Map.entry("relay set-auth-token", OperatorRole.ADMIN),
      Map.entry("rotate", OperatorRole.ADMIN),
      Map.entry("fleet rotate", OperatorRole.ADMIN));

  /**
   * Never run through the admin API: they create or run the service ({@code init}, {@code serve},
   * {@code relay}), read or write files by a path on the service host ({@code broker certs}, {@code
   * crl export}, {@code certs issue}, {@code certs verify}, {@code enroll}), or connect to the broker
   * as the service itself, which would knock the running service's own session off ({@code devices
   * ping}; {@code rotate} goes through, over the service's own connection). {@code help} runs where
   * it is typed.
   */
  static final Set<String> HOST_ONLY = Set.of("init", "serve", "relay", "broker certs", "crl export", "certs issue",
      "certs verify", "enroll", "devices ping", "help");

  /** Options that name the host's files or configuration; refused through the admin API. */
  static final List<String> HOST_OPTIONS = List.of("--dir", "--key-file", "--config", "--service", "--operator");

  /** Commands that read standard input: the client sends it along as the request's {@code input}. */
  static final Set<String> READS_INPUT = Set.of("relay set-auth-token");

  /**
   * Commands that write files into a directory option: through the admin API they write into a
   * private temporary directory on the service host, whose files go back in the answer and are
   * written by the client into the directory it named.
   */
  static final Map<String, String> OUT_DIRECTORY = Map.of("operators add", "--out");

  /** The role {@code path} needs remotely; empty when it is host-only or unknown. */
  static Optional<OperatorRole> needed(String path) {
    return Optional.ofNullable(ROLES.get(path));
  }

  /** The path of the leaf command {@code parsed} reached, e.g. {@code "tokens create"}. */
  static String path(CommandLine.ParseResult parsed) {
    StringBuilder path = new StringBuilder();
    CommandLine.ParseResult p = parsed;
    while (p.hasSubcommand()) {
      p = p.subcommand();
      path.append(path.length() == 0 ? "" : " ").append(p.commandSpec().name());
    }
    return path.toString();
  }

  /** The first host option among {@code args} ({@code --dir X} or {@code --dir=X}), if any. */
  static Optional<String> hostOption(List<String> args) {
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      for (String o : HOST_OPTIONS) {
        if (a.equals(o) || a.startsWith(o + "=")) {
          return Optional.of(o);
        }
      }
    }
    return Optional.empty();
  }
}
