package dev.holdfast.bench.footprint;

import static dev.holdfast.bench.footprint.FootprintBenchmark.kib;

import java.util.Map;

/** The part of the report that says what stops the goals, computed from the run's own figures. */
final class FootprintAnalysis {
  private FootprintAnalysis() {}

  /** What was changed for these figures, with the figures from before (measured once, by hand). */
  static final String CHANGES = """
      ## What was changed, and before

      Before (the agent as it was before these changes, same machine, `-XX:+UseSerialGC -Xms8m -Xmx64m -Xss256k
      -XX:TieredStopAtLevel=1`, no archive, empty vault): 3,274 classes loaded before the socket answered,
      72.7 MiB RSS idle (with NMT on), 1.15-1.47 s from spawn to the socket while the hello world took
      0.09-0.12 s. With the JVM's default flags and 10,000 queued records it had reached 935 MB.

      - **The HTTP clients are made at the first delivery** (`cli/Lazy`, `SenderWiring`): building a
        `HttpClient` initialised the TLS stack, parsed the JDK's trust store and started a selector
        thread before the agent was ready. 526 fewer classes at start (3,274 to 2,748), none of
        `sun.security.ssl` or the HTTP client; they load when the first record is due.
      - **Flags**: `-XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m` (one C1 thread, a small code
        cache), `-XX:-UsePerfData` (no hsperfdata file), `-XX:+ExitOnOutOfMemoryError` (a restart rather
        than a half-working agent).
      - **A class-data archive** built on the device at install (`build-cds-archive`): most of the agent's
        classes come from it instead of being parsed and verified at every start.

      Then (2026-12-05; records were already kept on disk, the index in memory), from 1.93 x idle
      (63.9 MiB) and 2.49 x with 10,000 queued (82.3 MiB) against a 33.1 MiB hello world:

      - **The heap stays close to its live data**: `-Xmx64m` (was 128 MiB, sized for records in the
        heap; `QueueFootprintIT` runs 100,000 queued records with the shipped flags, peak 34 MiB live),
        `-XX:NewRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20` (the serial collector grew the
        heap to 21-24 MiB committed while the index of 10,000 records was read, about 10 MiB of it
        live), `-Djdk.nio.maxCachedBufferSize=65536` (reading the 1 MiB log segments at start left a
        1 MiB native buffer cached on the thread; NMT's "Other" 1,026 KiB). 1.88 x idle (62.3 MiB),
        2.33 x queued (77.0 MiB; 69.8 MiB in the round without a delivery attempt).
      - **A static archive of exactly the agent's classes** (`build-cds-archive`: a class list from the
        training run, then `-Xshare:dump`) in place of the JDK's default archive plus a dynamic one: the
        JDK's archive is relocated, so every page of it is touched whether its classes load or not, and
        a dynamic archive leaves out picocli's Java 5 class files.

      Then (2026-12-07), from 1.85 x idle (61.0 MiB) and 2.30 x with 10,000 queued (76.0 MiB, the median of
      rounds with and without a delivery attempt):

      - **Deliveries over `HttpURLConnection`** instead of the JDK's `HttpClient` (docs/decisions.md): in
        hello-world JVMs with these flags one plain-HTTP POST costs 3.5 MiB through the URL connection and
        15.4-18.2 MiB through the client (1,500 classes, its selector and threads, the trust store read even
        for `http://`); one HTTPS request 17.3 against 22.9 MiB.

      - **The agent's jar is shrunk** (ProGuard, `agent/proguard.pro`): Bouncy Castle, Eclipse Collections,
        Guava and Kotlin keep only what the rest of the jar refers to, down to single methods. Eclipse
        Collections' interfaces carry hundreds of default methods, and the 195 of its classes MapDB's stores
        load were 4.7 MiB of the 26 MiB archive; the open jar's directory of 18,021 entries was 2.2 MiB of
        heap. The jar went from 28.9 to 9.3 MB; the idle agent from 62.0 to 55.4 MiB (by hand, three runs).
      - **picocli builds only the command that runs**, and not its converters for `java.time` and `java.sql`
        types (registering them initialised all of the JDK's date-time formatters): 55.4 to 52.5-53.4 MiB.

      Then (2026-12-07, later), from 1.55 x idle (51.2 MiB) and 1.76 x with 10,000 queued (58.2 MiB) against
      a 33.0 MiB hello world; each measured by hand first (three runs each, RSS after 6-15 s):

      - **The outbox index holds the records themselves, in arrays** (`IdTable`, `KeyTable`): about 145 bytes a
        record instead of 265 (a tree map by id, a hash map by key hash and a `Location` object per record).
        10,000 queued: 2.6 to 1.4 MB of heap.
      - **The outbox is read a batch at a time at start**, never a whole 1 MiB segment: whole segments outlived
        the 1.4 MiB eden, were copied into the old generation and kept its pages resident as garbage. Heap RSS
        with 10,000 queued 8.3 to 6.7 MiB; with the index, 59.4 to 56.2 MiB.
      - **Threads start only when the others are busy** (`OnDemandThreads`): a fixed pool of four delivery
        threads started all four for one retrying record; now one.
      - **No record's generated `equals`/`hashCode` runs on the delivery path** (`RecordId`, the batch cache's
        key): the first call bootstraps them through method handles, about a hundred classes. 55.7 to 54.8 MiB.
      - **The service's command line is read without picocli** (`RunLine`; anything but `run` and the root
        options goes to picocli as before): picocli's 171 classes and the model it builds by reflection no
        longer load in the running agent. 51.1 to 48.4 MiB idle, 54.8 to 52.4 MiB with 10,000 queued.
      - **`-XX:TrimNativeHeapInterval=10000`** where the JVM knows it (kept by `build-cds-archive` in
        `holdfast-agent.flags`): the C library returns to the kernel what the JIT compiler freed after start,
        -1.0 to -1.3 MiB idle and queued. RSS is now read after 15 s, after the first trim.

      What TLS costs on its own: a hello world that makes one HTTPS request through `HttpURLConnection`, with
      these flags and a static archive of its own classes, was 50.8 MiB against 33.9 MiB (1.50 x, by hand,
      three runs). An enrolled agent speaks TLS to its broker all the time, so the 1.6 x goal leaves an
      enrolled agent about 3.5 MiB for everything that is not the JVM and TLS: the vault, the outbox and its
      index, the CLI and the logging.

      Not changed, and why: MapDB is kept whole (its catalog names serializers as text, and keeping it whole
      keeps every path a vault could take); tinylog's management classes load inside tinylog. What 10,000
      queued records add is mostly the outbox's index in the heap (about 145 bytes a record) and the first
      delivery attempt; the agent refuses an `outbox.max-records` whose index would not fit 60% of the heap.
      """;

  static String text(FootprintBenchmark.Figures f, FootprintBenchmark.Breakdown idle,
      FootprintBenchmark.Breakdown queued, FootprintBenchmark.Breakdown hello) {
    Map<String, Integer> lib = idle.classes().byLibrary();
    int mapdb = lib.entrySet().stream().filter(e -> e.getKey().contains("MapDB")).mapToInt(Map.Entry::getValue).sum();
    int picocli = lib.getOrDefault("picocli", 0);
    int crypto = lib.getOrDefault("JDK: security and crypto", 0);
    int management = lib.getOrDefault("JDK: management (tinylog's start time)", 0);
    int extra = idle.classes().total() - hello.classes().total();
    long goalKib = Math.round(f.helloRss() * FootprintBenchmark.RSS_GOAL);
    long shared = idle.nmt().getOrDefault("Shared class space", 0L) - hello.nmt().getOrDefault("Shared class space", 0L);
    long meta = idle.nmt().getOrDefault("Metaspace", 0L) + idle.nmt().getOrDefault("Class", 0L)
        - hello.nmt().getOrDefault("Metaspace", 0L) - hello.nmt().getOrDefault("Class", 0L);
    long symbols = idle.nmt().getOrDefault("Symbol", 0L) - hello.nmt().getOrDefault("Symbol", 0L);
    long heap = idle.nmt().getOrDefault("Java Heap", 0L) - hello.nmt().getOrDefault("Java Heap", 0L);
    long threads = idle.nmt().getOrDefault("Thread", 0L) - hello.nmt().getOrDefault("Thread", 0L);
    long code = idle.nmt().getOrDefault("Code", 0L) - hello.nmt().getOrDefault("Code", 0L);
    StringBuilder t = new StringBuilder("## What stops the goals\n\n");
    long margin = goalKib - f.idleRss();
    t.append("In this run the idle agent (median) is ").append(kib(Math.abs(margin))).append(margin >= 0 ? " below " : " above ")
        .append(FootprintBenchmark.RSS_GOAL).append(" x the hello world's RSS. It loads ").append(extra).append(" classes more than the hello world (")
        .append(idle.classes().total()).append(" against ").append(hello.classes().total()).append("), and what they ")
        .append("cost is most of the difference, by NMT region: class metadata in the CDS archive +")
        .append(kib(shared)).append(", outside it (metaspace) +").append(kib(meta)).append(", symbols +")
        .append(kib(symbols)).append("; the rest is the heap +").append(kib(heap)).append(", thread stacks +")
        .append(kib(threads)).append(", compiled code +").append(kib(code)).append(".\n\n")
        .append("By library, of the agent's classes:\n\n")
        .append("- MapDB and what it brings (Kotlin, Eclipse Collections, Guava, Elsa, lz4): ").append(mapdb)
        .append(". They load when the vault opens: MapDB's `DB` creates every serializer of its `Serializer` interface ")
        .append("(with Elsa's object graph serializer and a Guava cache) and its stores use Eclipse Collections' ")
        .append("primitive maps; none of it can be deferred from outside MapDB, and the vault cannot open without it. ")
        .append("Of Eclipse Collections, Guava and Kotlin (and Bouncy Castle) the jar holds only what the rest of it ")
        .append("refers to, down to single methods (`agent/proguard.pro`).\n")
        .append("- picocli: ").append(picocli).append(". The service's command line (`run` and the root options) is ")
        .append("read without it (`RunLine`); every other command, help and any line `RunLine` does not take go ")
        .append("through picocli, which builds only the command that runs.\n")
        .append("- the JDK's security and crypto classes: ").append(crypto).append(" (AES-GCM and HMAC for the ")
        .append("vault's records, SecureRandom); the TLS stack and the HTTP client are no longer among them at start.\n")
        .append("- the JDK's management and java.util.logging classes: ").append(management).append(", loaded only ")
        .append("because tinylog's runtime asks `ManagementFactory` for the JVM's start time when it initialises.\n\n")
        .append(queuedText(f, idle, queued))
        .append(CHANGES);
    return t.toString();
  }

  private static String queuedText(FootprintBenchmark.Figures f, FootprintBenchmark.Breakdown idle,
      FootprintBenchmark.Breakdown queued) {
    long heap = region(queued, "Java Heap") - region(idle, "Java Heap");
    long meta = region(queued, "Metaspace") + region(queued, "Class") - region(idle, "Metaspace")
        - region(idle, "Class");
    long code = region(queued, "Code") - region(idle, "Code");
    return "With " + f.records() + " records queued the median RSS is " + kib(f.queuedRss() - f.idleRss())
        + " above idle. The records' bodies stay on disk; the index of them (about 145 bytes a record) and "
        + "the heap around it grew the committed heap by " + kib(heap) + " in the NMT run, metaspace by "
        + kib(meta) + " and compiled code by " + kib(code) + ". Whether a record falls due within the "
        + FootprintBenchmark.SETTLE.toSeconds() + " s after start (full-jitter backoff, `outbox.retry.cap` 5 min) "
        + "decides the rest: the first delivery attempt opens an `HttpURLConnection` (classes outside the "
        + "archive, since the training run delivers nothing; 3.5 MiB in a hello world) and starts a delivery "
        + "thread. Before deliveries left the JDK's `HttpClient` the attempt cost 9.7 MiB (70.0 MiB without one, "
        + "79.7 MiB with one, by hand).\n\n";
  }

  private static long region(FootprintBenchmark.Breakdown b, String name) {
    return b.nmt().getOrDefault(name, 0L);
  }
}
