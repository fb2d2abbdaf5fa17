package dev.holdfast.bench.enrollment;

import dev.holdfast.bench.support.NamedArgs;
import dev.holdfast.bench.support.SectionedReport;
import dev.holdfast.protocol.crypto.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Part 1: whole enrollments per second with N concurrent devices against the real API server,
 * interleaved with the bare-HTTPS baseline at the same N, then the single-threaded references.
 */
final class RatePart {
  /** What was measured at one concurrency. */
  static final class PerN {
    final int agents;
    double enrollRate;
    double postRate;
    final Latencies enroll = new Latencies();
    final Latencies post = new Latencies();
    final Latencies request = new Latencies();
    final Latencies round = new Latencies();
    final Latencies complete = new Latencies();
    long enrollments;
    long registryWrites;

    PerN(int agents) {
      this.agents = agents;
    }
  }

  /** Everything part 1 reports. */
  record Result(List<PerN> perN, double[] references, Optional<FsyncPass.Counts> fsyncs, int fsyncCount,
      int enrollmentsPerRound, int postsPerRound, int rounds, int threads, int referenceCount) {}

  private RatePart() {}

  static Result run(NamedArgs o, int[] concurrency) throws Exception {
    int perRound = o.get("enrollments");
    int posts = o.get("baseline-requests");
    List<PerN> out = new ArrayList<>();
    try (Fleet fleet = new Fleet(o.get("threads"))) {
      List<List<DeviceAgent>> agents = new ArrayList<>();
      for (int n : concurrency) {
        out.add(new PerN(n));
        List<DeviceAgent> set = new ArrayList<>();
        for (int a = 0; a < n; a++) {
          set.add(new DeviceAgent(fleet.dir.resolve("agent-" + n + "-" + a + ".db"), fleet.random, fleet.clock));
        }
        agents.add(set);
      }
      Optional<FsyncPass.Counts> fsyncs;
      try {
        for (int r = 0; r <= o.get("rounds"); r++) {
          boolean warmUp = r == 0;
          System.out.printf("%s:%n", warmUp ? "warm-up (discarded)" : "round " + r);
          for (int i = 0; i < concurrency.length; i++) {
            phase(fleet, agents.get(i), out.get(i), warmUp ? 1 : Math.max(1, perRound / concurrency[i]),
                warmUp ? 1 : Math.max(1, posts / concurrency[i]), warmUp);
          }
        }
        fsyncs = o.get("fsync-count") == 0 ? Optional.empty()
            : FsyncPass.run(fleet, agents.get(0).get(0), o.get("fsync-count"));
      } finally {
        agents.forEach(set -> set.forEach(DeviceAgent::close));
      }
      double[] references = References.measure(fleet, o.get("reference-count"));
      return new Result(out, references, fsyncs, o.get("fsync-count"), perRound, posts, o.get("rounds"),
          o.get("threads"), o.get("reference-count"));
    }
  }

  private static void phase(Fleet fleet, List<DeviceAgent> agents, PerN into, int perAgent, int postsPerAgent,
      boolean warmUp) throws Exception {
    int n = agents.size();
    Load.Result post = Load.run(n, postsPerAgent, (w, i) -> BaselinePost.once(fleet.constantServer(), fleet.root(),
        fleet.random));
    List<Secret> tokens = fleet.tokens(n * perAgent);
    PerN steps = new PerN(n);
    long writesBefore = fleet.registry.writes();
    Load.Result enroll = Load.run(n, perAgent, (w, i) -> {
      DeviceAgent.Steps s = agents.get(w).enroll(tokens.get(w * perAgent + i), fleet.server(), fleet.root());
      steps.request.add(s.request());
      steps.round.add(s.post());
      steps.complete.add(s.complete());
      return s.total();
    });
    long writes = fleet.registry.writes() - writesBefore;
    System.out.printf("  N=%-3d enroll %8s/s (median %s ms)   bare HTTPS POST %8s/s (median %s ms)%n", n,
        SectionedReport.number(enroll.perSecond()), SectionedReport.number(enroll.latencies().medianMillis()), SectionedReport.number(post.perSecond()),
        SectionedReport.number(post.latencies().medianMillis()));
    if (warmUp) {
      return;
    }
    into.enrollRate = Math.max(into.enrollRate, enroll.perSecond());
    into.postRate = Math.max(into.postRate, post.perSecond());
    into.enroll.addAll(enroll.latencies());
    into.post.addAll(post.latencies());
    into.request.addAll(steps.request);
    into.round.addAll(steps.round);
    into.complete.addAll(steps.complete);
    into.enrollments += (long) n * perAgent;
    into.registryWrites += writes;
  }
}
