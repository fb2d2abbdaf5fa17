package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.provisioning.credentials.OperatorRole;
import dev.holdfast.provisioning.registry.AuditEvent;
import dev.holdfast.provisioning.registry.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.tinylog.Logger;
import picocli.CommandLine;

/**
 * What an operator's command through the admin API comes to: refused (a host option, a host-only
 * command, a role too low) or run, in this process, by the same command tree as the command line,
 * on the service's open runtime acting for {@code operator:NAME}, its output captured. Every command
 * that needs the admin role leaves an {@code admin.command} audit event.
 */
final class AdminCommands {
  static final String ACTION = "admin.command";

  /** An HTTP status, and the command's exit code, output and files. */
  record Answer(int status, int exit, String stdout, String stderr, Map<String, String> files) {
    Answer {
      files = Map.copyOf(files);
    }

    static Answer refused(int status, ExitCode code, String message) {
      return new Answer(status, code.code(), "", "holdfast-provisioning: " + message + "\n", Map.of());
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("exit", exit);
      m.put("stdout", stdout);
      m.put("stderr", stderr);
      if (!files.isEmpty()) {
        m.put("files", files);
      }
      return m;
    }
  }

  private final ProvisioningRuntime rt;

  AdminCommands(ProvisioningRuntime rt) {
    this.rt = rt;
  }

  Answer run(String operator, OperatorRole role, List<String> args, byte[] input) throws IOException {
    Optional<String> hostOption = CommandRoles.hostOption(args);
    if (hostOption.isPresent()) {
      return Answer.refused(400, ExitCode.USAGE, hostOption.get() + " is not taken through the admin API: the "
          + "service works on its own data directory; drop it");
    }
    String actor = "operator:" + operator;
    Main main = new Main(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        new ByteArrayInputStream(new byte[0]), Optional.of(rt.actingFor(actor)));
    CommandLine.ParseResult parsed;
    try {
      parsed = Main.commandLine(main).parseArgs(args.toArray(new String[0]));
    } catch (CommandLine.ParameterException e) {
      return Answer.refused(400, ExitCode.USAGE, e.getMessage());
    }
    String path = CommandRoles.path(parsed);
    Optional<OperatorRole> needed = CommandRoles.needed(path);
    if (!helpRequested(parsed)) {
      if (needed.isEmpty()) {
        return Answer.refused(400, ExitCode.USAGE, "'" + (path.isEmpty() ? "(no command)" : path) + "' runs only "
            + "on the service host, never through the admin API (see 'holdfast-provisioning --help')");
      }
      if (!role.allows(needed.get())) {
        Logger.warn("admin API: operator {} (role {}) refused '{}': needs {}", operator, role.unit(), path,
            needed.get().unit());
        return Answer.refused(403, ExitCode.NO_PERMISSION, "operator " + operator + " has role " + role.unit()
            + "; '" + path + "' needs role " + needed.get().unit() + ": ask an admin to run it, or for an admin "
            + "certificate ('operators add NAME --role admin')");
      }
    }
    Answer answer = execute(actor, path, args, input);
    Logger.info("admin API: operator {} ran '{}': exit {}", operator, path, answer.exit());
    if (needed.filter(r -> r == OperatorRole.ADMIN).isPresent() && !helpRequested(parsed)) {
      audit(actor, args, answer.exit());
    }
    return answer;
  }

  private Answer execute(String actor, String path, List<String> args, byte[] input) throws IOException {
    String outOption = CommandRoles.OUT_DIRECTORY.get(path);
    Optional<Path> temp = Optional.empty();
    List<String> run = new ArrayList<>(args);
    String asked = null;
    if (outOption != null) {
      temp = Optional.of(Files.createTempDirectory("holdfast-admin-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
      asked = replaceValue(run, outOption, temp.get().toString());
    }
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Main main = new Main(Map.of(), new PrintWriter(out), new PrintWriter(err), new ByteArrayInputStream(input),
          Optional.of(rt.actingFor(actor)));
      int exit = Main.execute(Main.commandLine(main), run.toArray(new String[0]));
      String stdout = out.toString();
      String stderr = err.toString();
      Map<String, String> files = Map.of();
      if (temp.isPresent()) {
        files = collect(temp.get());
        if (asked != null) {
          stdout = stdout.replace(temp.get().toString(), asked);
          stderr = stderr.replace(temp.get().toString(), asked);
        }
      }
      return new Answer(200, exit, stdout, stderr, files);
    } finally {
      if (temp.isPresent()) {
        delete(temp.get());
      }
    }
  }

  private void audit(String actor, List<String> args, int exit) {
    try {
      rt.registry.write(tx -> {
        tx.audit().append(AuditEvent.of(rt.clock.instant(), actor, ACTION, null, String.join(" ", args) + ": exit "
            + exit));
        return null;
      });
    } catch (RegistryException e) {
      Logger.error("admin API: could not record {} by {}: {}", ACTION, actor, e.getMessage());
    }
  }

  static boolean helpRequested(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
      if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
        return true;
      }
    }
    return false;
  }

  /** Replaces the value of {@code option} in {@code args} by {@code value}; returns the one given, if any. */
  static String replaceValue(List<String> args, String option, String value) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals(option) && i + 1 < args.size()) {
        return args.set(i + 1, value);
      }
      if (a.startsWith(option + "=")) {
        args.set(i, option + "=" + value);
        return a.substring(option.length() + 1);
      }
    }
    return null;
  }

  private static Map<String, String> collect(Path dir) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.sorted().toList()) {
        if (Files.isRegularFile(p)) {
          files.put(p.getFileName().toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
        }
      }
    }
    return files;
  }

  private static void delete(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      Logger.warn("admin API: could not remove {}: {}", dir, e.getMessage());
    }
  }
}
