package dev.holdfast.bench.crash;

import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.Producer;
import dev.holdfast.bench.support.Producers.Message;
import dev.holdfast.bench.support.Producers;
import dev.holdfast.bench.support.RecordingSink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Kills the agent with SIGKILL at random moments while producers send through its socket and the
 * dispatcher delivers to an idempotent sink; restarts it; repeats. Then lets everything drain and
 * checks the promises of the outbox: every acknowledged message was delivered, nothing was
 * delivered that was never acknowledged, no message took effect twice, and the vault verifies.
 * The seed is printed so that a failing run can be replayed.
 */
public final class KillHarness {
  /** What to run. */
  public record Settings(int cycles, int messages, int producers, int destinations, long seed) {}

  /** What happened; {@link #problems()} empty means every promise held. */
  public record Report(Settings settings, int acked, int delivered, int lost, int unacknowledged, int altered,
      long duplicates, int verifyExit, List<String> problems, Duration elapsed) {}

  /**
   * The limits are raised out of the way: a cold agent killed within a second of its start
   * delivers little, so over hundreds of cycles the queue grows past the default 10,000 records,
   * and a full outbox would turn every later cycle into refusals (400,000 fit the agent's 256 MiB heap).
   */
  private static final List<String> AGENT_SETTINGS = List.of(
      "log.level = warn", "outbox.concurrency = 8", "outbox.retry.base = 20ms", "outbox.retry.cap = 500ms",
      "delivery.timeout = 5s", "outbox.max-records = 400000", "outbox.max-bytes = 1GiB");

  private final Settings settings;
  private final PrintStream log;

  public KillHarness(Settings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
  }

  public Report run(Path home) throws Exception {
    long started = System.nanoTime();
    log.printf("kill harness: %d cycles, %d messages, %d producers, seed %d%n", settings.cycles(),
        settings.messages(), settings.producers(), settings.seed());
    SplittableRandom random = new SplittableRandom(settings.seed());
    Set<String> acked = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<Message> pending = new ConcurrentLinkedQueue<>();
    try (RecordingSink sink = new RecordingSink(); AgentProcess agent = AgentProcess.create(home, AGENT_SETTINGS,
        List.of())) {
      List<Message> all = messages(sink);
      int perCycle = (all.size() + settings.cycles() - 1) / settings.cycles();
      for (int cycle = 0; cycle < settings.cycles(); cycle++) {
        all.subList(Math.min(all.size(), cycle * perCycle), Math.min(all.size(), (cycle + 1) * perCycle))
            .forEach(pending::add);
        agent.start();
        int ackedBefore = acked.size();
        // a random point within what this cycle has to send (its new messages and those carried over),
        // so the backlog stays about two cycles long however many cycles run
        int target = 1 + random.nextInt(Math.max(1, pending.size()));
        List<Thread> producers = Producers.start(agent.socket(), settings.producers(), pending, acked);
        awaitActivity(producers, () -> acked.size() - ackedBefore >= target);
        long extra = random.nextLong(150);
        TimeUnit.MILLISECONDS.sleep(extra); // land the kill anywhere: mid-enqueue, mid-commit, mid-delivery
        agent.kill9();
        for (Thread t : producers) {
          t.join();
        }
        log.printf("  cycle %d: killed %d ms after the %d-th ack; %d acknowledged so far, %d delivered, %d to send"
            + " again%n", cycle + 1, extra, target, acked.size(), sink.effects().size(), pending.size());
      }
      agent.start();
      long resendDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!pending.isEmpty() && System.nanoTime() < resendDeadline) {
        Producers.sendAll(agent.socket(), settings.producers(), pending, acked);
      }
      awaitDrained(agent, sink, acked);
      int stopped = agent.stop();
      int verify = agent.run("vault", "verify").code();
      Set<String> effects = sink.effects();
      Set<String> lost = new HashSet<>(acked);
      lost.removeAll(effects);
      Set<String> unacknowledged = new HashSet<>(effects);
      unacknowledged.removeAll(acked);
      List<String> problems = new ArrayList<>();
      if (!lost.isEmpty()) {
        problems.add(lost.size() + " acknowledged message(s) never delivered, e.g. " + lost.iterator().next());
      }
      if (!unacknowledged.isEmpty()) {
        problems.add(unacknowledged.size() + " message(s) delivered without an acknowledgement, e.g. "
            + unacknowledged.iterator().next());
      }
      // A key whose effect carried another destination or body than was sent, or that arrived
      // with two different contents: the outbox mixed up or duplicated a message under one key.
      Set<String> altered = new HashSet<>(sink.conflicting());
      for (Message m : all) {
        RecordingSink.Effect sent = new RecordingSink.Effect(java.net.URI.create(m.url()).getPath(), m.body());
        if (sink.effect(m.key()).filter(e -> !e.equals(sent)).isPresent()) {
          altered.add(m.key());
        }
      }
      if (!altered.isEmpty()) {
        problems.add(altered.size() + " key(s) took effect with another body or destination than was sent, e.g. "
            + altered.iterator().next());
      }
      if (acked.size() != all.size()) {
        problems.add("only " + acked.size() + " of " + all.size() + " messages were ever acknowledged");
      }
      if (verify != 0) {
        problems.add("vault verify exited " + verify);
      }
      if (stopped != 143 && stopped != 0) {
        problems.add("the agent exited " + stopped + " on SIGTERM");
      }
      return new Report(settings, acked.size(), effects.size(), lost.size(), unacknowledged.size(), altered.size(),
          sink.duplicates(), verify, problems, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private List<Message> messages(RecordingSink sink) {
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < settings.messages(); i++) {
      String url = sink.uri("/d" + (i % settings.destinations())).toString();
      all.add(new Message(String.format("m-%d-%06d", settings.seed(), i), url, "{\"n\":" + i + "}"));
    }
    return all;
  }

  /** Waits until {@code enough} holds or every producer ran out of messages (bounded: 60 s). */
  private static void awaitActivity(List<Thread> producers, java.util.function.BooleanSupplier enough)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!enough.getAsBoolean() && producers.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(2);
    }
  }

  private static void awaitDrained(AgentProcess agent, RecordingSink sink, Set<String> acked) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      Map<String, Object> status = Producer.ask(agent.socket(), Map.of("op", "status")).orElseThrow();
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) status.get("status");
      boolean empty = ((Number) s.get("queued")).longValue() == 0;
      if (empty && sink.effects().containsAll(acked)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
