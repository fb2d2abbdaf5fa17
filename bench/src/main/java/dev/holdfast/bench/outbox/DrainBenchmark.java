package dev.holdfast.bench.outbox;

import dev.holdfast.agent.local.LocalApiClient;
import dev.holdfast.agent.local.LocalApiHandler;
import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.RecordingSink;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figure 3: 10,000 records queued while the sink refuses connections, then the sink opens and
 * the drain is timed until it holds every record; divided by a bare HttpClient loop with the same
 * concurrency sending the same requests to the same sink, in the same repetition.
 */
final class DrainBenchmark {
  static final long DEADLINE_SECONDS = 300;
  private final Params params;
  private final Path work;
  final Samples agentRate = new Samples();
  final Samples baselineRate = new Samples();
  final Samples ratio = new Samples();
  final Samples duplicates = new Samples();

  DrainBenchmark(Params params, Path work) {
    this.params = params;
    this.work = work;
  }

  /** Retries come quickly so that the drain starts soon after the sink opens (at most the cap). */
  List<String> agentConfig() {
    return params.agentConfig("50ms", "250ms");
  }

  void run() throws Exception {
    int perLane = params.drainRecords() / params.lanes();
    for (int rep = 0; rep < params.repetitions(); rep++) {
      Path dir = Files.createDirectories(work.resolve("drain-" + rep));
      try (RecordingSink sink = RecordingSink.down()) {
        List<String> urls = params.laneUrls(sink);
        double agent;
        try (AgentProcess process = AgentProcess.create(dir.resolve("agent"), agentConfig(), List.of())) {
          process.start();
          EnqueueLoad.fill(process.socket(), urls, perLane, params.body());
          long queued = queued(process.socket());
          if (queued != (long) perLane * urls.size()) {
            throw new IllegalStateException("expected " + perLane * urls.size() + " queued, found " + queued);
          }
          long started = System.nanoTime();
          sink.mode(RecordingSink.Mode.ACCEPT);
          awaitKeys(sink, queued, started);
          agent = queued / ((System.nanoTime() - started) / 1e9);
          duplicates.add(sink.duplicates());
          process.stop();
        }
        double baseline = HttpBaseline.run(urls.stream().map(URI::create).toList(), perLane, params.body());
        agentRate.add(agent);
        baselineRate.add(baseline);
        ratio.add(agent / baseline);
        System.out.printf(Locale.ROOT, "drain rep %d: agent %,.0f/s, bare HttpClient %,.0f/s (%.2f)%n", rep + 1,
            agent, baseline, agent / baseline);
      }
    }
  }

  private static void awaitKeys(RecordingSink sink, long expected, long started) throws InterruptedException {
    while (sink.effectCount() < expected) {
      if (System.nanoTime() - started > DEADLINE_SECONDS * 1_000_000_000L) {
        throw new IllegalStateException("the sink had " + sink.effectCount() + " of " + expected + " after "
            + DEADLINE_SECONDS + " s");
      }
      Thread.sleep(5);
    }
  }

  static long queued(Path socket) throws Exception {
    try (LocalApiClient client = LocalApiClient.connect(socket)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> status = (Map<String, Object>) client.call(Map.of("op", "status")).get("status");
      return LocalApiHandler.number(status.get("queued"));
    }
  }
}
