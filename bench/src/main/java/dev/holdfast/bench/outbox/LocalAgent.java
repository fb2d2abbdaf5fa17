package dev.holdfast.bench.outbox;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs agent/target/holdfast-agent.jar as a child process with a fresh key, vault and socket in a
 * directory, and stops it with SIGTERM. A stand-in until the shared harness's agent process class
 * is on this branch; then this goes.
 */
final class LocalAgent implements AutoCloseable {
  static final Path JAR = Path.of("agent/target/holdfast-agent.jar").toAbsolutePath();
  private final Process process;
  private final Path socket;

  private LocalAgent(Process process, Path socket) {
    this.process = process;
    this.socket = socket;
  }

  static LocalAgent start(Path dir, List<String> config) throws Exception {
    Path key = dir.resolve("store.key");
    Path conf = dir.resolve("agent.conf");
    Files.write(conf, config);
    List<String> common = List.of("--config", conf.toString(), "--data-dir", dir.resolve("data").toString(),
        "--key-file", key.toString(), "--socket", dir.resolve("agent.sock").toString());
    run(List.of("vault", "keygen", "--out", key.toString()), List.of());
    run(List.of("vault", "init"), common);
    List<String> cmd = command(List.of("run"), common);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.log").toFile()).start();
    Path socket = dir.resolve("agent.sock");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.exists(socket)) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
          c.connect(UnixDomainSocketAddress.of(socket));
          return new LocalAgent(p, socket);
        } catch (IOException e) {
          // not yet
        }
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("agent exited: " + Files.readString(dir.resolve("agent.log")));
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IllegalStateException("agent did not start");
  }

  private static List<String> command(List<String> sub, List<String> common) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    cmd.addAll(common);
    cmd.addAll(sub);
    return cmd;
  }

  private static void run(List<String> sub, List<String> common) throws Exception {
    Process p = new ProcessBuilder(command(sub, common)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(sub + " failed: " + out);
    }
  }

  Path socket() {
    return socket;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
