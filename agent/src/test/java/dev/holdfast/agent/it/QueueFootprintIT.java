package dev.holdfast.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.local.LocalApiClient;
import dev.holdfast.agent.local.LocalApiHandler;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.testing.RecordingServer;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a queue costs in memory: the agent as a real process with the JVM flags it ships with (the
 * heap ceiling lowered further) keeps record metadata in memory, never bodies beyond a bounded
 * window, so 10,000 queued records of 4 KiB (40 MB of bodies) fit a 32 MiB heap through enqueue,
 * restart, list and delivery, and 100,000 queued records fit 64 MiB while it enqueues, lists and
 * delivers them all.
 */
class QueueFootprintIT {
  static final Path SHIPPED_FLAGS = Path.of("..", "packaging", "deb", "agent", "jvm.flags");

  @TempDir Path home;
  RecordingServer sink;
  Process agent;
  String[] where;
  Path socket;
  int starts;

  @BeforeEach
  void init() throws Exception {
    sink = new RecordingServer();
    socket = home.resolve("agent.sock");
    configure(110_000);
    where = new String[] {"--config", "agent.conf", "--data-dir", "data", "--key-file", "store.key"};
    AgentJar.newVault(home, where);
  }

  /** An outbox for up to {@code maxRecords}: the agent refuses more than its heap can index. */
  private void configure(int maxRecords) throws Exception {
    Files.writeString(home.resolve("agent.conf"), "local.socket = " + socket + "\n"
        + "outbox.max-records = " + maxRecords + "\n" + "outbox.max-bytes = 1GiB\n" + "outbox.concurrency = 8\n"
        + "outbox.retry.base = 100ms\n" + "outbox.retry.cap = 500ms\n" + "log.level = warn\n");
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.destroyForcibly();
    }
    sink.close();
  }

  private String[] with(String... args) {
    return AgentJar.with(where, args);
  }

  /** The shipped JVM flags (packaging/deb/agent/jvm.flags), the heap ceiling lowered to {@code heap}. */
  private void start(String heap) throws Exception {
    List<String> flags = new ArrayList<>(List.of(Files.readString(SHIPPED_FLAGS).strip().split("\\s+")));
    flags.addAll(List.of("-Xmx" + heap, "-Xlog:gc:file=" + home.resolve("gc-" + ++starts + ".log") + ":uptime"));
    agent = AgentJar.builder(home, flags, with("run")).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("agent.log").toFile())).start();
    await().atMost(Duration.ofSeconds(120)).until(() -> !agent.isAlive() || answers());
    assertThat(agent.isAlive()).as(Files.readString(home.resolve("agent.log"))).isTrue();
  }

  private boolean answers() {
    try (LocalApiClient c = LocalApiClient.connect(socket)) {
      return Boolean.TRUE.equals(c.call(Map.of("op", "status")).get("ok"));
    } catch (Exception e) {
      return false;
    }
  }

  private long status(String field) throws Exception {
    try (LocalApiClient c = LocalApiClient.connect(socket)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) c.call(Map.of("op", "status")).get("status");
      return LocalApiHandler.number(s.get(field));
    }
  }

  private void stopAgent() throws Exception {
    agent.destroy();
    assertThat(agent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).as(Files.readString(home.resolve("agent.log"))).isIn(0, 143);
    agent = null;
  }

  /** Sends {@code count} webhooks to {@code url} through the socket, 16 connections at once. */
  private void send(int count, String url, String body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int first = t;
      done.add(pool.submit(() -> {
        try (LocalApiClient c = LocalApiClient.connect(socket)) {
          for (int i = first; i < count; i += 16) {
            Map<String, Object> r = c.call(Map.of("op", "send", "channel", "webhook", "url", url, "body", body));
            assertThat(r).as("send %d", i).containsEntry("ok", true);
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  /**
   * Asks the running agent for a full collection (jcmd GC.run), after which what the heap holds is
   * what the agent keeps alive: a young collection's figure would also count the old generation's
   * garbage that only a full collection clears.
   */
  private void fullCollection() throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(agent.pid()), "GC.run").redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jcmd.waitFor()).as(out).isZero();
  }

  /**
   * The live heap: the most in use after any full collection of any start of the agent, from the
   * GC logs ("Pause Full (System.gc()) 20M->12M(32M)"); fails if there was none to read.
   */
  private long peakLiveMiB() throws Exception {
    Pattern full = Pattern.compile("Pause Full.*->(\\d+)M\\(");
    List<Long> live = new ArrayList<>();
    for (int start = 1; start <= starts; start++) {
      for (String line : Files.readAllLines(home.resolve("gc-" + start + ".log"))) {
        Matcher m = full.matcher(line);
        if (m.find()) {
          live.add(Long.parseLong(m.group(1)));
        }
      }
    }
    assertThat(live).as("full collections in the GC logs").isNotEmpty();
    return live.stream().mapToLong(Long::longValue).max().orElseThrow();
  }

  @Test
  void tenThousandQueuedRecordsOf4KibStayUnderA32MibHeapThroughEnqueueRestartListAndDelivery() throws Exception {
    configure(20_000); // a 32 MiB heap indexes about 59,000
    start("32m");
    String body = "{\"pad\":\"" + "x".repeat(4096 - 10) + "\"}";
    sink.answer(r -> RecordingServer.Answer.of(503)); // refused: everything stays queued
    send(10_000, sink.uri("/ten-thousand").toString(), body);
    assertThat(status("queued")).isEqualTo(10_000);
    fullCollection();
    stopAgent();

    start("32m"); // the index is rebuilt from the log, bodies read and let go
    assertThat(status("queued")).isEqualTo(10_000);
    int listed = 0;
    String after = null;
    for (int page = 0; page < 10; page++) { // ten pages of 1,000
      AgentJar.Run list = AgentJar.run(home, "", after == null ? with("outbox", "list", "--json")
          : with("outbox", "list", "--json", "--after", after));
      assertThat(list.code()).as(list.err()).isZero();
      Matcher ids = Pattern.compile("\"id\":\"([0-9a-f]{16})\"").matcher(list.out());
      while (ids.find()) {
        after = ids.group(1);
        listed++;
      }
    }
    assertThat(listed).isEqualTo(10_000);
    fullCollection();
    sink.answer(r -> RecordingServer.Answer.of(200));
    await().atMost(Duration.ofMinutes(5)).until(() -> status("queued") <= 5_000);
    fullCollection(); // while delivering
    await().atMost(Duration.ofMinutes(5)).until(() -> status("queued") == 0);
    fullCollection();
    assertThat(sink.requests().stream().filter(r -> r.path().equals("/ten-thousand")).map(r -> r.header(
        "Idempotency-Key")).distinct().count()).isEqualTo(10_000);
    long peak = peakLiveMiB();
    stopAgent();
    System.out.printf("10,000 x 4 KiB queued: live heap after a full collection peaked at %d MiB of 32%n", peak);
    assertThat(peak).as("live heap after a full collection").isLessThan(24);
  }

  @Test
  void withAHundredThousandQueuedTheAgentStillEnqueuesListsAndDeliversUnderA64MibHeap() throws Exception {
    fillInProcess(100_000, sink.uri("/hundred-thousand").toString());
    sink.answer(r -> RecordingServer.Answer.of(503));
    start("64m");
    assertThat(status("queued")).isEqualTo(100_000);
    send(16, sink.uri("/late").toString(), "{\"late\":true}");
    assertThat(status("queued")).isEqualTo(100_016);
    AgentJar.Run page = AgentJar.run(home, "", with("outbox", "list", "--json"));
    assertThat(page.code()).as(page.err()).isZero();
    assertThat(page.out().split("\"id\"", -1)).hasSize(1001);
    assertThat(page.err()).contains("more records follow; list them with --after");
    fullCollection(); // the whole index in memory
    sink.answer(r -> RecordingServer.Answer.of(200));
    await().atMost(Duration.ofMinutes(10)).until(() -> status("queued") == 0);
    fullCollection();
    assertThat(sink.requests().stream().map(r -> r.header("Idempotency-Key")).distinct().count())
        .isGreaterThanOrEqualTo(100_016);
    long peak = peakLiveMiB();
    stopAgent();
    System.out.printf("100,000 queued: live heap after a full collection peaked at %d MiB of 64%n", peak);
    // 17 MiB measured; the index of 2026-12-07 (a tree map, a hash map and objects per record) took 30-33
    assertThat(peak).as("live heap after a full collection").isLessThan(24);
  }

  /** Queues records straight into the data directory, as an agent would, before the agent starts. */
  private void fillInProcess(int count, String url) throws Exception {
    OutboxSettings settings = new OutboxSettings(200_000, 1L << 30, 65536, OutboxSettings.WhenFull.REFUSE,
        Duration.ofDays(7), 8, Duration.ofMillis(100), Duration.ofMillis(500));
    byte[] body = ("{\"n\":0,\"pad\":\"" + "y".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8);
    try (Vault vault = Vault.open(home.resolve("data/agent.db"),
        MasterKeySource.ofKey(KeyFiles.read(home.resolve("store.key")), "test key"), new SecureRandom());
        Outbox outbox = Outbox.open(vault, settings, Clock.systemUTC(), new SplittableRandom(3))) {
      ExecutorService pool = Executors.newFixedThreadPool(32);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 32; t++) {
        int first = t;
        done.add(pool.submit(() -> {
          for (int i = first; i < count; i += 32) {
            outbox.enqueue(new NewMessage(Channel.WEBHOOK, url, body, "application/json", Optional.empty(),
                Optional.empty()));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
    }
  }
}
