package dev.holdfast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto ({@code /usr/sbin/mosquitto}) run as a child process with the shipped
 * {@code systemd/mosquitto/holdfast.conf}, on a free port of 127.0.0.1. Not thread-safe: one test
 * thread drives it. Every wait has a deadline; failures carry the broker's log.
 */
public final class Mosquitto implements AutoCloseable {
  /** The installed broker binary the tests run. */
  public static final Path BINARY = Path.of("/usr/sbin/mosquitto");
  static final Duration DEADLINE = Duration.ofSeconds(15);
  private static final String RELOADED = "Reloading config.";

  private final BrokerFiles files;
  private final Path workDir;
  private final Path conf;
  private final Path logFile;
  private final Path outFile;
  private final BrokerProbe probe;
  private final Thread reaper = new Thread(this::kill, "mosquitto-reaper");
  private int port;
  private Process process;
  private String runAs;

  /** A stopped broker that will read {@code files} and keep its config and log in {@code workDir}. */
  public Mosquitto(BrokerFiles files, Path workDir) {
    this.files = files;
    this.workDir = workDir;
    this.conf = workDir.resolve("mosquitto.conf");
    this.logFile = workDir.resolve("mosquitto.log");
    this.outFile = workDir.resolve("mosquitto.out");
    this.probe = new BrokerProbe(files.caChain());
  }

  /**
   * The user a broker started as root switches to. By default a broker started as root stays root
   * ({@code user root}), because Mosquitto 2.0 would otherwise switch to {@code mosquitto}, who cannot
   * read 0600 test files. Tests of the installed file modes pass {@code "mosquitto"}.
   */
  public Mosquitto runAs(String user) {
    if (isRunning()) {
      throw new IllegalStateException("set the user before starting Mosquitto");
    }
    this.runAs = user;
    return this;
  }

  /** Starts on a free port (the same port again after a stop) and waits until it answers TLS. */
  public Mosquitto start() {
    if (isRunning()) {
      throw new IllegalStateException("Mosquitto is already running on port " + port);
    }
    files.requireExisting();
    if (port != 0) {
      launch(port);
      return this;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        launch(freePort());
        return this;
      } catch (IllegalStateException e) {
        // Another process may take the free port between our probe and Mosquitto's bind.
        if (attempt == 3 || !log().contains("Address already in use")) {
          throw e;
        }
        port = 0;
      }
    }
  }

  /** The listener's port (0 before the first start). */
  public int port() {
    return port;
  }

  /** {@code ssl://127.0.0.1:port}, for Paho. */
  public String uri() {
    return "ssl://127.0.0.1:" + port;
  }

  /** The broker process id. */
  public long pid() {
    return running().pid();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Sends SIGHUP (reload: ACL file, CRL for new connections) and returns once the broker has
   * logged the reload and answers a new TLS connection, which it does only after reloading.
   */
  public void hangup() {
    long before = count(log(), RELOADED);
    signal("HUP");
    Waits.until(DEADLINE, () -> count(log(), RELOADED) > before && answers(), "Mosquitto to reload after SIGHUP", this);
  }

  /** SIGKILL, and waits until the process is gone. No-op when not running. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      awaitExit();
      removeReaper();
    }
  }

  /** SIGTERM (SIGKILL if it does not exit within the deadline), and waits until the process is gone. */
  public void stop() {
    if (process != null) {
      process.destroy();
      awaitExit();
      removeReaper();
    }
  }

  /** Stops if running, then starts on the same port and waits until it answers again. */
  public void restart() {
    stop();
    start();
  }

  /** What the broker wrote so far: its stderr/stdout (start-up errors) and its log file. */
  public String log() {
    return read(outFile) + read(logFile);
  }

  /** The rendered configuration file the broker was started with. */
  public Path configFile() {
    return conf;
  }

  public BrokerFiles files() {
    return files;
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "Mosquitto[" + (isRunning() ? "running on " + uri() : "stopped") + ", " + workDir + "]";
  }

  private void launch(int onPort) {
    try {
      Files.createDirectories(workDir);
      boolean root = ((Integer) Files.getAttribute(workDir, "unix:uid")) == 0;
      String user = runAs != null ? runAs : root ? "root" : null;
      String shipped = MosquittoConfig.readShipped(ShippedFiles.conf());
      Files.writeString(conf, MosquittoConfig.render(shipped, files, onPort, logFile, user));
      port = onPort;
      process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + BINARY + ": " + e.getMessage(), e);
    }
    removeReaper();
    Runtime.getRuntime().addShutdownHook(reaper);
    Waits.until(DEADLINE, this::answers, "Mosquitto to accept TLS on port " + port, this);
  }

  private boolean answers() {
    Process p = running();
    if (!p.isAlive()) {
      throw new IllegalStateException("Mosquitto exited with status " + p.exitValue() + "; its log:\n" + log());
    }
    return probe.answers(port);
  }

  private void signal(String name) {
    long pid = pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill -" + name + " " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling Mosquitto", e);
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void removeReaper() {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting; the hook is running or has run.
    }
  }

  private Process running() {
    if (process == null) {
      throw new IllegalStateException("Mosquitto was never started");
    }
    return process;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static long count(String text, String needle) {
    long n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")\n";
    }
  }
}
