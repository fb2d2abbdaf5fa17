package dev.holdfast.bench.support;

import dev.holdfast.agent.identity.CredentialSet;
import dev.holdfast.agent.identity.IdentityStore;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged agent ({@code holdfast-agent.jar}) as a real JVM: a home directory with a key
 * file, a configuration file, a vault and a socket; {@code run} started, killed with SIGKILL or
 * stopped with SIGTERM, and started again. Its output is appended to {@code agent.log}.
 */
public final class AgentProcess implements AutoCloseable {
  /** The jar: the system property set by the build, else the path from the repository root. */
  public static final Path JAR = Path.of(System.getProperty("holdfast.agent.jar", "agent/target/holdfast-agent.jar"))
      .toAbsolutePath().normalize();

  private final Path home;
  private final List<String> wrapper;
  private Process process;

  private AgentProcess(Path home, List<String> wrapper) {
    this.home = home;
    this.wrapper = wrapper;
  }

  /** What one command printed and returned. */
  public record Result(int code, String out) {}

  /**
   * Creates a key, a configuration with {@code settings} (plus the socket) and a vault in {@code
   * home}. {@code wrapper} prefixes the {@code run} command (e.g. strace), empty for none.
   */
  public static AgentProcess create(Path dir, List<String> settings, List<String> wrapper) throws IOException {
    Path home = dir.toAbsolutePath(); // the agent's commands run with home as their working directory
    Files.createDirectories(home);
    AgentProcess agent = new AgentProcess(home, wrapper);
    List<String> config = new ArrayList<>(settings);
    config.add("local.socket = " + agent.socket());
    Files.write(home.resolve("agent.conf"), config);
    agent.check(agent.javaCommand("vault", "keygen", "--out", home.resolve("store.key").toString()));
    agent.check(agent.javaCommand("vault", "init"));
    return agent;
  }

  /**
   * The agent's credential set in {@code role} ({@link IdentityStore#CURRENT}, {@link
   * IdentityStore#PREVIOUS}), read from its vault: only while the agent is stopped (it holds the vault).
   */
  public CredentialSet identity(String role) throws Exception {
    try (Vault v = Vault.open(dataDir().resolve("agent.db"),
        MasterKeySource.ofKey(KeyFiles.read(home().resolve("store.key")), "key file"), new SecureRandom())) {
      return new IdentityStore(v).set(role).orElse(null);
    }
  }

  public Path home() {
    return home;
  }

  /**
   * The same agent home, started from now on under {@code otherWrapper} (e.g. {@code env
   * JAVA_TOOL_OPTIONS=...} for a test hook, or none); this one must not be running.
   */
  public AgentProcess withWrapper(List<String> otherWrapper) {
    return new AgentProcess(home, otherWrapper);
  }

  public Path socket() {
    return home.resolve("agent.sock");
  }

  public Path dataDir() {
    return home.resolve("data");
  }

  public Path log() {
    return home.resolve("agent.log");
  }

  /** Starts {@code run} and returns once its socket answers a status call. */
  public void start() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.addAll(javaCommand("run"));
    process = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!answers()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the agent exited with " + process.exitValue() + "; see " + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the agent did not open its socket in 120 s; see " + log());
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private boolean answers() {
    return Producer.ask(socket(), Map.of("op", "status")).map(r -> Boolean.TRUE.equals(r.get("ok"))).orElse(false);
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /**
   * SIGKILL: no shutdown hook, no flush, no close — what a crash or kill -9 does. Under a wrapper
   * the agent's JVM is killed first (a killed strace would detach and leave it running).
   */
  public void kill9() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * SIGTERM to the agent's JVM (under a wrapper: to the JVM, and the wrapper exits with it) and
   * wait; returns the exit status of the started process.
   */
  public int stop() throws InterruptedException {
    List<ProcessHandle> jvms = process.children().toList();
    if (jvms.isEmpty()) {
      process.destroy();
    } else {
      jvms.forEach(ProcessHandle::destroy);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      kill9();
    }
    return process.exitValue();
  }

  /** Runs another holdfast-agent command against this home (e.g. {@code vault verify}). */
  public Result run(String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(javaCommand(args)).directory(home.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("holdfast-agent " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }

  /**
   * Runs a command with {@code input} on its standard input (e.g. a token for {@code enroll
   * --token-file -}, which then never touches the disk or the process list).
   */
  public Result runWithInput(byte[] input, String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(javaCommand(args)).directory(home.toFile()).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(input);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("holdfast-agent " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }

  private void check(List<String> cmd) throws IOException {
    try {
      Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private List<String> javaCommand(String... args) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: build it with ./mvnw -B package -DskipTests");
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--config", home.resolve("agent.conf").toString(), "--data-dir", dataDir().toString(),
        "--key-file", home.resolve("store.key").toString()));
    return cmd;
  }

  /** Kills the agent if it still runs (a test that failed half-way must not leave it behind). */
  @Override
  public void close() {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
