package dev.holdfast.bench.fleet;

import dev.holdfast.testkit.ConfigLines;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged provisioning side ({@code holdfast-provisioning.jar}) as real processes: a data
 * directory made with {@code init} and a key file, one-shot commands, and {@code serve} running
 * until stopped with SIGTERM. Output of {@code serve} is appended to {@code serve.log}.
 */
public final class ProvisioningProcess implements AutoCloseable {
  public static final Path JAR = Path.of(System.getProperty("holdfast.provisioning.jar",
      "provisioning/target/holdfast-provisioning.jar")).toAbsolutePath().normalize();

  private final Path home;
  private Process serve;
  private int apiPort;
  private int adminPort;

  private ProvisioningProcess(Path home) {
    this.home = home;
  }

  /** What one command printed on stdout and on stderr, and returned. */
  public record Result(int code, String out, String err) {}

  /**
   * Initialises a fleet in {@code home}: a random store key (0600), {@code init} for loopback
   * server names, then {@code settings} set in the configuration (a key's line replaced, or added).
   */
  public static ProvisioningProcess init(Path home, List<String> settings) throws IOException, InterruptedException {
    Files.createDirectories(home);
    ProvisioningProcess p = new ProvisioningProcess(home.toAbsolutePath());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.writeString(p.keyFile(), HexFormat.of().formatHex(key), StandardOpenOption.CREATE_NEW);
    Files.setPosixFilePermissions(p.keyFile(), PosixFilePermissions.fromString("rw-------"));
    p.check("init", "--server-name", "127.0.0.1,localhost");
    ConfigLines.set(p.dataDir().resolve("provisioning.properties"), settings);
    return p;
  }

  public Path home() {
    return home;
  }

  public Path dataDir() {
    return home.resolve("data");
  }

  public Path keyFile() {
    return home.resolve("provisioning.key");
  }

  public Path fleetRoot() {
    return dataDir().resolve("fleet-root.pem");
  }

  public Path serveLog() {
    return home.resolve("serve.log");
  }

  /** Runs one command against the data directory with {@code stdin} as its input. */
  public Result run(String stdin, String... args) throws IOException, InterruptedException {
    return run(stdin, command(args), args);
  }

  /**
   * Runs one command without naming the data directory or its key, as an operator's machine runs it
   * (through the service: {@code args} carry {@code --service} and {@code --operator}).
   */
  public Result runElsewhere(String... args) throws IOException, InterruptedException {
    return run("", command(false, args), args);
  }

  private Result run(String stdin, List<String> cmd, String... args) throws IOException, InterruptedException {
    Path err = Files.createTempFile(home, "stderr", ".txt");
    try {
      Process p = new ProcessBuilder(cmd).directory(home.toFile())
          .redirectError(ProcessBuilder.Redirect.to(err.toFile())).start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("holdfast-provisioning " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.delete(err);
    }
  }

  /** Runs a command that must succeed; returns its output. */
  public String check(String... args) throws IOException, InterruptedException {
    Result r = run("", args);
    if (r.code() != 0) {
      throw new IllegalStateException("holdfast-provisioning " + String.join(" ", args) + " exited " + r.code()
          + ": " + r.out() + r.err());
    }
    return r.out();
  }

  /**
   * Starts {@code serve} with {@code extra} arguments on a free loopback port (the same port again
   * after {@link #stopServe()}, so devices find it where they left it); returns once it accepts.
   */
  public void startServe(List<String> extra) throws IOException, InterruptedException {
    startServe(List.of(), extra);
  }

  /** {@link #startServe(List)} with {@code jvmOptions} (such as a test harness's {@code -D} switch) before -jar. */
  public void startServe(List<String> jvmOptions, List<String> extra) throws IOException, InterruptedException {
    if (apiPort == 0) {
      apiPort = freePort();
      adminPort = freePort();
    }
    List<String> args = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:" + apiPort, "--admin-listen",
        "127.0.0.1:" + adminPort));
    args.addAll(extra);
    serve = new ProcessBuilder(command(true, jvmOptions, args.toArray(String[]::new))).directory(home.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(serveLog().toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!accepts(apiPort)) {
      if (!serve.isAlive()) {
        throw new IllegalStateException("serve exited with " + serve.exitValue() + ": "
            + Files.readString(serveLog()));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("serve did not listen within 60 s: " + Files.readString(serveLog()));
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  public boolean isServing() {
    return serve != null && serve.isAlive();
  }

  /** Whether {@code serve} was started and has since exited (or was halted) on its own. */
  public boolean serveExited() {
    return serve != null && !serve.isAlive();
  }

  /** The HTTPS URL of the running {@code serve}'s admin API. */
  public String adminUrl() {
    return "https://127.0.0.1:" + adminPort;
  }

  /** The HTTPS base URL of the running {@code serve}. */
  public String apiUrl() {
    return "https://127.0.0.1:" + apiPort;
  }

  /** SIGTERM to {@code serve} and wait; returns its exit status. */
  public int stopServe() throws InterruptedException {
    if (serve == null) {
      return 0;
    }
    serve.destroy();
    if (!serve.waitFor(60, TimeUnit.SECONDS)) {
      serve.destroyForcibly().waitFor();
    }
    int code = serve.exitValue();
    serve = null;
    return code;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private List<String> command(String... args) {
    return command(true, args);
  }

  private List<String> command(boolean dataDir, String... args) {
    return command(dataDir, List.of(), args);
  }

  private List<String> command(boolean dataDir, List<String> jvmOptions, String... args) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: build it with ./mvnw -B package -DskipTests");
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    if (dataDir) {
      cmd.addAll(List.of("--dir", dataDir().toString(), "--key-file", keyFile().toString()));
    }
    return cmd;
  }

  @Override
  public void close() {
    if (serve != null) {
      serve.destroyForcibly();
    }
  }
}
