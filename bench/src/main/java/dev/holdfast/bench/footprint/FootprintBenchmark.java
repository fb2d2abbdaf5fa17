package dev.holdfast.bench.footprint;

import static dev.holdfast.bench.support.SectionedReport.number;

import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.NamedArgs;
import dev.holdfast.bench.support.SectionedReport;
import dev.holdfast.testkit.NotifySocket;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run footprint [--rounds 5] [--records 10000]}: the agent with the shipped JVM flags
 * and its class-data archive, against a hello-world JVM with the same flags, in the same run:
 * RSS idle (empty vault) and with 10,000 queued records, each divided by the hello-world's RSS;
 * spawn to READY=1 divided by the hello-world's spawn to exit; then, in runs of their own, classes
 * loaded by library and NMT's memory regions, and the sizes of the jar, the .deb files and the
 * libraries inside the jar. Writes docs/benchmarks/footprint.md.
 */
public final class FootprintBenchmark {
  static final double RSS_GOAL = 1.6;
  static final double START_GOAL = 5.0;
  /**
   * How long a process runs before its RSS is read: past the JVM's first release of its compiler
   * arenas (5 s) and the trim of the C library's heap that follows (every 10 s, when the JVM
   * knows -XX:TrimNativeHeapInterval), so the reading is what the agent holds for the rest of its life.
   */
  static final Duration SETTLE = Duration.ofSeconds(15);

  private FootprintBenchmark() {}

  public static void run(String[] args) throws Exception {
    NamedArgs a = new NamedArgs(args, Map.of("rounds", 5, "records", 10_000), 1);
    int rounds = a.get("rounds");
    int records = a.get("records");
    Path root = projectRoot();
    Path jar = AgentProcess.JAR;
    List<String> flags = new ArrayList<>(Jvm.shippedFlags(root));
    Path work = Files.createTempDirectory("holdfast-footprint");
    try (NotifySocket systemd = NotifySocket.open(work)) {
      Path hello = Jvm.helloWorld(Files.createDirectories(work.resolve("hello")));
      Path archive = work.resolve("holdfast-agent.jsa");
      System.out.println("== class-data archive (packaging/deb/agent/build-cds-archive, as postinst runs it)");
      buildArchive(root, jar, archive, flags);
      flags.addAll(Jvm.acceptedOptionalFlags(archive));
      List<String> agentFlags = new ArrayList<>(flags);
      agentFlags.addAll(List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
          "-Xlog:cds+dynamic=off"));
      AgentUnderTest empty = AgentUnderTest.create(work.resolve("empty"), jar, flags);
      AgentUnderTest full = AgentUnderTest.create(work.resolve("full"), jar, flags);
      System.out.println("== queueing " + records + " records (webhooks to a closed port: the network is down)");
      full.fill(records, agentFlags, systemd);

      List<Long> helloRss = new ArrayList<>();
      List<Long> helloStart = new ArrayList<>();
      List<Long> emptyRss = new ArrayList<>();
      List<Long> fullRss = new ArrayList<>();
      List<Long> ready = new ArrayList<>();
      for (int r = 1; r <= rounds; r++) {
        helloStart.add(helloStartToExit(flags, hello));
        helloRss.add(helloRss(flags, hello));
        AgentUnderTest.Running e = empty.start(agentFlags, systemd);
        ready.add(e.toReady().toNanos());
        emptyRss.add(settledRss(e));
        AgentUnderTest.Running f = full.start(agentFlags, systemd);
        fullRss.add(settledRss(f));
        System.out.printf("round %d: hello %d KiB / %.0f ms; agent idle %d KiB, %d queued %d KiB, READY in %.0f ms%n",
            r, last(helloRss), last(helloStart) / 1e6, last(emptyRss), records, last(fullRss), last(ready) / 1e6);
      }
      Figures fig = new Figures(median(helloRss), median(helloStart), median(emptyRss), median(fullRss),
          median(ready), rounds, records);

      System.out.println("== without the archive, and with the JVM's defaults (one run each)");
      AgentUnderTest.Running noArchive = empty.start(flags, systemd);
      long noArchiveReady = noArchive.toReady().toNanos();
      long noArchiveRss = settledRss(noArchive);
      AgentUnderTest.Running defaults = full.start(List.of(), systemd);
      long defaultsFullRss = settledRss(defaults);

      System.out.println("== classes and memory regions (-Xlog:class+load, -XX:NativeMemoryTracking=summary)");
      Breakdown idle = breakdown(empty, agentFlags, systemd, work.resolve("classes-idle.log"));
      Breakdown queued = breakdown(full, agentFlags, systemd, work.resolve("classes-queued.log"));
      Breakdown helloB = helloBreakdown(flags, hello, work.resolve("classes-hello.log"));

      String report = FootprintReport.render(fig, flags, noArchiveReady, noArchiveRss, defaultsFullRss, idle, queued,
          helloB, jar, root);
      Path out = root.resolve("docs/benchmarks/footprint.md");
      Files.writeString(out, report, StandardCharsets.UTF_8);
      System.out.printf("RSS idle %.2f x hello, with %d queued %.2f x (goal <= %.1f); start %.2f x (goal <= %.0f)%n",
          fig.idleRatio(), records, fig.queuedRatio(), RSS_GOAL, fig.startRatio(), START_GOAL);
      System.out.println("results written to " + out);
    } finally {
      deleteTree(work);
    }
  }

  /** Medians (KiB, ns) of the timed rounds. */
  record Figures(long helloRss, long helloStart, long idleRss, long queuedRss, long ready, int rounds, int records) {
    double idleRatio() {
      return (double) idleRss / helloRss;
    }

    double queuedRatio() {
      return (double) queuedRss / helloRss;
    }

    double startRatio() {
      return (double) ready / helloStart;
    }
  }

  /** One untimed run: RSS split, NMT regions, classes by library. */
  record Breakdown(Jvm.Rss rss, Map<String, Long> nmt, Libraries.Loaded classes) {}

  private static Breakdown breakdown(AgentUnderTest agent, List<String> flags, NotifySocket systemd, Path log)
      throws Exception {
    AgentUnderTest.Running r = agent.start(logging(flags, log), systemd);
    return measure(r.pid(), r::stop, log);
  }

  private static Breakdown helloBreakdown(List<String> flags, Path hello, Path log) throws Exception {
    Process p = startHello(logging(flags, log), hello);
    return measure(p.pid(), () -> {
      p.getOutputStream().close();
      p.waitFor(30, TimeUnit.SECONDS);
    }, log);
  }

  private static List<String> logging(List<String> flags, Path log) {
    List<String> f = new ArrayList<>(flags);
    f.add("-XX:NativeMemoryTracking=summary");
    f.add("-Xlog:class+load:file=" + log);
    return f;
  }

  /** Stops a measured process. */
  @FunctionalInterface
  private interface Stop {
    void stop() throws Exception;
  }

  /** RSS and NMT after {@link #SETTLE}; the classes from the log once the process has stopped. */
  private static Breakdown measure(long pid, Stop stop, Path log) throws Exception {
    Jvm.Rss rss;
    Map<String, Long> nmt;
    try {
      TimeUnit.MILLISECONDS.sleep(SETTLE.toMillis());
      rss = Jvm.Rss.of(pid);
      nmt = Jvm.nmt(pid);
    } finally {
      stop.stop();
    }
    return new Breakdown(rss, nmt, Libraries.classes(log));
  }

  private static long settledRss(AgentUnderTest.Running r) throws Exception {
    try {
      TimeUnit.MILLISECONDS.sleep(SETTLE.toMillis());
      return Jvm.Rss.of(r.pid()).total();
    } finally {
      r.stop();
    }
  }

  private static Process startHello(List<String> flags, Path hello) throws IOException {
    Process p = new ProcessBuilder(Jvm.command(flags, "-cp", hello.toString(), "Hello")).start();
    String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    if (!"hello".equals(first)) {
      throw new IllegalStateException("the hello-world baseline printed " + first);
    }
    return p;
  }

  private static long helloRss(List<String> flags, Path hello) throws Exception {
    Process p = startHello(flags, hello);
    try {
      TimeUnit.MILLISECONDS.sleep(SETTLE.toMillis());
      return Jvm.Rss.of(p.pid()).total();
    } finally {
      p.getOutputStream().close();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static long helloStartToExit(List<String> flags, Path hello) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(Jvm.command(flags, "-cp", hello.toString(), "Hello", "exit"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor();
    return System.nanoTime() - t0;
  }

  private static void buildArchive(Path root, Path jar, Path archive, List<String> flags) throws Exception {
    Path script = archive.resolveSibling("build-cds-archive");
    Files.writeString(script, Files.readString(root.resolve("packaging/deb/agent/build-cds-archive"))
        .replace("@JVM_FLAGS@", String.join(" ", flags)));
    ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), jar.toString(), archive.toString())
        .inheritIO();
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    if (pb.start().waitFor() != 0 || !Files.isRegularFile(archive)) {
      throw new IllegalStateException("build-cds-archive failed");
    }
  }

  static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("packaging/deb/agent/jvm.flags"))) {
        return dir;
      }
    }
    throw new IllegalStateException("run from the Holdfast source tree (bench/run footprint)");
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static long last(List<Long> values) {
    return values.get(values.size() - 1);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static String kib(long kib) {
    return number(kib / 1024.0) + " MiB";
  }

  static String machine() {
    return SectionedReport.machine();
  }
}
