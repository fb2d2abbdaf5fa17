package dev.holdfast.bench.outbox;

import dev.holdfast.bench.support.AgentProcess;
import dev.holdfast.bench.support.RecordingSink;
import dev.holdfast.bench.support.TimeChart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Figure 4: a paced producer keeps sending while the sink is up, then down (connections refused),
 * then back; {@code status} is sampled over the socket and drawn as queue depth and delivery rate.
 */
final class OutageBenchmark {
  static final int RATE = 400;
  private final Params params;
  private final Path work;
  long sent;
  double drainedAfterSeconds;
  double upSeconds;
  double downSeconds;

  OutageBenchmark(Params params, Path work) {
    this.params = params;
    this.work = work;
  }

  void run(Path png, List<String> config) throws Exception {
    upSeconds = params.quick() ? 3 : 5;
    downSeconds = params.quick() ? 6 : 15;
    Path dir = BenchDirs.privateDir(work.resolve("outage"));
    try (RecordingSink sink = RecordingSink.down();
        AgentProcess agent = AgentProcess.create(dir.resolve("agent"), config, List.of())) {
      agent.start();
      List<String> urls = params.laneUrls(sink);
      sink.mode(RecordingSink.Mode.ACCEPT);
      List<StatusSampler.Sample> samples;
      List<String> marks;
      try (StatusSampler sampler = new StatusSampler(agent.socket(), 100)) {
        sampler.mark("sink up");
        sent += EnqueueLoad.paced(agent.socket(), urls, RATE, upSeconds);
        sink.mode(RecordingSink.Mode.DOWN);
        sampler.mark("sink down");
        sent += EnqueueLoad.paced(agent.socket(), urls, RATE, downSeconds);
        sink.mode(RecordingSink.Mode.ACCEPT);
        sampler.mark("sink back");
        long back = System.nanoTime();
        sent += EnqueueLoad.paced(agent.socket(), urls, RATE, upSeconds);
        long deadline = back + DrainBenchmark.DEADLINE_SECONDS * 1_000_000_000L;
        while (sink.effectCount() < sent && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        drainedAfterSeconds = (System.nanoTime() - back) / 1e9;
        sampler.mark("all delivered");
        Thread.sleep(1000);
        samples = sampler.samples();
        marks = sampler.marks();
      }
      if (sink.effectCount() < sent) {
        throw new IllegalStateException("after the outage the sink had " + sink.effectCount() + " of " + sent);
      }
      TimeChart.write(png, String.format(java.util.Locale.ROOT,
          "Outbox through an outage: %d records/s offered, sink refusing for %.0f s", RATE, downSeconds),
          samples.stream().map(x -> new TimeChart.Sample(x.seconds(), x.queued(), x.delivered())).toList(),
          new TimeChart.Labels("queue depth (records, `status`)", "delivered per second"), marks);
      agent.stop();
    }
  }
}
