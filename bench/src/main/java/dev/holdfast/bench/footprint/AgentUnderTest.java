package dev.holdfast.bench.footprint;

import dev.holdfast.bench.support.Producer;
import dev.holdfast.testkit.NotifySocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One agent home (key, empty configuration, vault) and {@code run} started as systemd would start
 * it: the given JVM flags, {@code NOTIFY_SOCKET} set, readiness read from the socket.
 */
final class AgentUnderTest {
  private final Path home;
  private final Path jar;

  private AgentUnderTest(Path home, Path jar) {
    this.home = home;
    this.jar = jar;
  }

  static AgentUnderTest create(Path home, Path jar, List<String> flags) throws IOException, InterruptedException {
    Files.createDirectories(home);
    Files.writeString(home.resolve("agent.conf"), "");
    AgentUnderTest a = new AgentUnderTest(home, jar);
    Jvm.run(Jvm.command(flags, "-jar", jar.toString(), "vault", "keygen", "--out", home.resolve("store.key").toString()));
    Jvm.run(a.command(flags, "vault", "init"));
    return a;
  }

  List<String> command(List<String> flags, String... args) {
    List<String> cmd = Jvm.command(flags, "-jar", jar.toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--config", home.resolve("agent.conf").toString(), "--data-dir", home.resolve("data").toString(),
        "--key-file", home.resolve("store.key").toString(), "--socket", home.resolve("agent.sock").toString()));
    return cmd;
  }

  /** A started agent: its process and how long it took from spawn to READY=1. */
  record Running(Process process, Duration toReady) {
    long pid() {
      return process.pid();
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  Running start(List<String> flags, NotifySocket systemd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command(flags, "run")).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("agent.log").toFile()));
    pb.environment().put("NOTIFY_SOCKET", systemd.path().toString());
    long spawned = System.nanoTime();
    Process p = pb.start();
    NotifySocket.Message ready = systemd.next(m -> m.startsWith("READY=1"), Duration.ofSeconds(300));
    return new Running(p, Duration.ofNanos(ready.nanos() - spawned));
  }

  /**
   * Queues {@code n} webhooks to a loopback port nobody listens on (the network is down), from 16
   * producers; they stay queued, retried with backoff.
   */
  void fill(int n, List<String> flags, NotifySocket systemd) throws IOException, InterruptedException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed + "/hook";
    Running r = start(flags, systemd);
    try {
      ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < n; i++) {
        todo.add(i);
      }
      String body = "{\"sensor\":\"door-1\",\"state\":\"open\",\"reading\":" + "7".repeat(150) + "}";
      AtomicInteger failed = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        Thread thread = new Thread(() -> {
          try (Producer producer = new Producer(home.resolve("agent.sock"))) {
            Integer i;
            while ((i = todo.poll()) != null) {
              if (producer.send(Producer.webhook(url, "fill-" + i, body)) != Producer.Outcome.ACKED) {
                failed.incrementAndGet();
              }
            }
          }
        });
        thread.start();
        threads.add(thread);
      }
      for (Thread t : threads) {
        t.join();
      }
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " of " + n + " sends were not acknowledged; see "
            + home.resolve("agent.log"));
      }
      Object queued = Producer.ask(home.resolve("agent.sock"), Map.of("op", "status")).map(s -> s.get("status"))
          .map(s -> ((Map<?, ?>) s).get("queued")).orElse(null);
      if (queued == null || Integer.parseInt(queued.toString()) != n) {
        throw new IllegalStateException("expected " + n + " queued, status says " + queued);
      }
    } finally {
      r.stop();
    }
  }
}
