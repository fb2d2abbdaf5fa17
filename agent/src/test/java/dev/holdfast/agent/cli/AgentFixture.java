package dev.holdfast.agent.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A data dir, a key file and a way to run holdfast-agent in-process against them. */
final class AgentFixture {
  final Path home;
  final Path dataDir;
  final Path keyFile;
  final Map<String, String> env = new HashMap<>();

  AgentFixture(Path home) throws Exception {
    this.home = home;
    this.dataDir = home.resolve("data");
    this.keyFile = home.resolve("store.key");
    Result r = run("vault", "keygen", "--out", keyFile.toString());
    if (r.code != 0) {
      throw new IllegalStateException(r.toString());
    }
  }

  /** What one run printed and returned. */
  record Result(int code, String out, String err) {
    /** The error line without the program name. */
    String error() {
      return err.strip();
    }
  }

  /** A context for calling the runtime in-process: no input, output discarded, the real clock. */
  static AgentContext silentContext() {
    return new AgentContext(Map.of(), new ByteArrayInputStream(new byte[0]),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new SecureRandom(),
        Clock.systemUTC(), (prompt, confirm) -> Optional.empty());
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  Result runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AgentContext ctx = new AgentContext(env,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new SecureRandom(), Clock.systemUTC(), (prompt, confirm) -> Optional.empty());
    int code = Cli.run(ctx, args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs with --data-dir and --key-file of this fixture appended. */
  Result agent(String... args) {
    return agentWithInput("", args);
  }

  Result agentWithInput(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", dataDir.toString(), "--key-file", keyFile.toString()));
    return runWithInput(stdin, all.toArray(String[]::new));
  }

  /**
   * Creates the vault and writes {@code home/agent.conf} naming a socket in {@code home}, where no
   * agent listens: commands then open the vault themselves. Returns the configuration file.
   */
  Path initVaultWithConfig() throws Exception {
    Result init = agent("vault", "init");
    if (init.code != 0) {
      throw new IllegalStateException(init.toString());
    }
    Path config = home.resolve("agent.conf");
    Files.writeString(config, "local.socket = " + home.resolve("agent.sock") + "\n");
    return config;
  }

  /** Like {@link #agentWithInput}, with {@code --config config} appended as well. */
  Result agentWithConfig(Path config, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return agentWithInput(stdin, all.toArray(String[]::new));
  }

  Path vaultFile() {
    return dataDir.resolve("agent.db");
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
