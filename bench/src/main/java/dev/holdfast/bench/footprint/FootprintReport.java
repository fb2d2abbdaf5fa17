package dev.holdfast.bench.footprint;

import static dev.holdfast.bench.footprint.FootprintBenchmark.kib;
import static dev.holdfast.bench.support.SectionedReport.number;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** docs/benchmarks/footprint.md from one run's figures. */
final class FootprintReport {
  private FootprintReport() {}

  static String render(FootprintBenchmark.Figures f, List<String> flags, long noArchiveReady, long noArchiveRss,
      long defaultsQueuedRss, FootprintBenchmark.Breakdown idle, FootprintBenchmark.Breakdown queued,
      FootprintBenchmark.Breakdown hello, Path jar, Path root) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Footprint\n\n")
        .append("`bench/run footprint` runs the agent as the package runs it (`/usr/bin/holdfast-agent`: the flags of\n")
        .append("`packaging/deb/agent/jvm.flags` and the class-data archive `build-cds-archive` makes at install) and,\n")
        .append("in the same run, a hello-world JVM with the same flags. Readiness is the agent's `READY=1` on a real\n")
        .append("notification socket (the vault open, the local socket bound); RSS is `VmRSS` after ")
        .append(FootprintBenchmark.SETTLE.toSeconds()).append(" s idle.\n")
        .append("Medians of ").append(f.rounds()).append(" rounds, interleaved.\n\n")
        .append("Flags: `").append(String.join(" ", flags)).append("`\n\n")
        .append(FootprintBenchmark.machine()).append('\n');
    md.append("| figure | agent | hello world, same flags | ratio | goal |\n|---|---|---|---|---|\n");
    md.append(row("RSS, idle (empty vault)", kib(f.idleRss()), kib(f.helloRss()), f.idleRatio(),
        FootprintBenchmark.RSS_GOAL));
    md.append(row("RSS, " + f.records() + " records queued", kib(f.queuedRss()), kib(f.helloRss()), f.queuedRatio(),
        FootprintBenchmark.RSS_GOAL));
    md.append(row("spawn to READY=1 (hello: spawn to exit)", ms(f.ready()), ms(f.helloStart()), f.startRatio(),
        FootprintBenchmark.START_GOAL));
    md.append('\n');
    md.append("For comparison, one run each: without the class-data archive the agent was ready in ")
        .append(ms(noArchiveReady)).append(" with ").append(kib(noArchiveRss)).append(" idle; with the JVM's default ")
        .append("flags (a quarter of this machine's RAM as heap) and ").append(f.records()).append(" records queued, ")
        .append(kib(defaultsQueuedRss)).append(".\n\n");

    md.append("## Where the memory goes\n\n")
        .append("Committed memory by NMT region (`-XX:NativeMemoryTracking=summary`, one run each, KiB), and RSS split\n")
        .append("into anonymous memory and mapped files (the JVM, the JDK's and the agent's CDS archives):\n\n")
        .append("| region | agent idle | agent, records queued | hello world |\n|---|---|---|---|\n");
    Set<String> regions = new LinkedHashSet<>(idle.nmt().keySet());
    regions.addAll(queued.nmt().keySet());
    for (String r : regions) {
      long a = idle.nmt().getOrDefault(r, 0L);
      long q = queued.nmt().getOrDefault(r, 0L);
      long h = hello.nmt().getOrDefault(r, 0L);
      if (Math.max(a, Math.max(q, h)) >= 100) {
        md.append("| ").append(r).append(" | ").append(a).append(" | ").append(q).append(" | ").append(h).append(" |\n");
      }
    }
    md.append("| RSS: anonymous | ").append(idle.rss().anon()).append(" | ").append(queued.rss().anon()).append(" | ")
        .append(hello.rss().anon()).append(" |\n");
    md.append("| RSS: files | ").append(idle.rss().file()).append(" | ").append(queued.rss().file()).append(" | ")
        .append(hello.rss().file()).append(" |\n\n");

    md.append("## What loads\n\n")
        .append("Classes loaded by library (`-Xlog:class+load`), and how many of them came from a CDS archive:\n\n")
        .append("| library | agent idle | from the archive | agent, records queued | hello world |\n|---|---|---|---|---|\n");
    for (String lib : Stream.concat(Libraries.names().stream(), Stream.of("other")).distinct().toList()) {
      int a = idle.classes().byLibrary().getOrDefault(lib, 0);
      int q = queued.classes().byLibrary().getOrDefault(lib, 0);
      int h = hello.classes().byLibrary().getOrDefault(lib, 0);
      if (a + q + h > 0) {
        md.append("| ").append(lib).append(" | ").append(a).append(" | ")
            .append(idle.classes().sharedByLibrary().getOrDefault(lib, 0)).append(" | ").append(q).append(" | ")
            .append(h).append(" |\n");
      }
    }
    md.append("| **all** | ").append(idle.classes().total()).append(" | ").append(idle.classes().shared())
        .append(" | ").append(queued.classes().total()).append(" | ").append(hello.classes().total()).append(" |\n\n");

    md.append("## Sizes\n\n| file | size |\n|---|---|\n")
        .append("| `agent/target/holdfast-agent.jar` | ").append(mib(Files.size(jar))).append(" |\n");
    try (Stream<Path> debs = Files.list(root.resolve("packaging/target"))) {
      for (Path deb : debs.filter(p -> p.toString().endsWith(".deb")).sorted().toList()) {
        md.append("| `packaging/target/").append(deb.getFileName()).append("` | ").append(mib(Files.size(deb)))
            .append(" |\n");
      }
    } catch (java.nio.file.NoSuchFileException e) {
      md.append("| .deb files | not built (no `packaging/target`; `./mvnw -B package` builds them) |\n");
    }
    md.append("\nRuntime dependencies, by their compressed bytes inside the agent's jar (the .deb depends only on a\n")
        .append("Java 17+ runtime and systemd):\n\n| library | bytes in the jar |\n|---|---|\n");
    Libraries.jarBytes(jar).entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> md.append("| ").append(e.getKey()).append(" | ").append(mib(e.getValue())).append(" |\n"));
    md.append('\n').append(FootprintAnalysis.text(f, idle, queued, hello));
    return md.toString();
  }

  private static String row(String what, String agent, String hello, double ratio, double goal) {
    return "| " + what + " | " + agent + " | " + hello + " | " + number(ratio) + " x | <= " + number(goal) + " x "
        + (ratio <= goal ? "(met)" : "(**not met**)") + " |\n";
  }

  private static String ms(long nanos) {
    return number(nanos / 1e6) + " ms";
  }

  private static String mib(long bytes) {
    return number(bytes / (1024.0 * 1024.0)) + " MiB";
  }
}
