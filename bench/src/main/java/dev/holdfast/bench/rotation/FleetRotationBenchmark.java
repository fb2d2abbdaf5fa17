package dev.holdfast.bench.rotation;

import dev.holdfast.bench.support.TimeChart;
import dev.holdfast.provisioning.credentials.CommandSigner;
import dev.holdfast.provisioning.rotation.FleetRotation;
import dev.holdfast.provisioning.rotation.RemoteRotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench/run fleet-rotation [DEVICES] [MAX_IN_FLIGHT]}: one provisioning instance rotates a
 * fleet of DEVICES (default 1,000) simulated agents, each on its own real MQTT connection to
 * Mosquitto, with the operator's {@code fleet rotate} code at MAX_IN_FLIGHT (default 50): devices
 * confirmed per second, from the first command to the last device's confirm answer, and progress as a
 * PNG. The baseline, in the same run, over the same connections and bound: bare request/responses
 * through the service per second. Writes {@code docs/benchmarks/fleet-rotation.md} and {@code .png}.
 */
public final class FleetRotationBenchmark {
  static final double GOAL_PER_SECOND = 100;
  static final Duration SAMPLE = Duration.ofMillis(250);

  /**
   * Untimed rounds before the timed one (each baseline, and a whole campaign over the same fleet):
   * a service runs for months, and a cold JVM spends a core of this 2-core machine compiling for the
   * whole first campaign (docs/decisions.md).
   */
  static final int WARM_UP_ROUNDS = 2;

  /** Measured with timers around the service's answer and earlier runs of this benchmark (docs/decisions.md). */
  static final String WHERE_THE_TIME_GOES = "\nWhere the time goes (1,000 devices, same machine, JFR and perf "
      + "profiles of this benchmark): the service answers `prov/req` on one thread, as `serve` does, and requests "
      + "that wait while it is busy are answered together in one registry transaction: that thread was busy 98% "
      + "of the run for 39% of its time on the CPU, the rest waiting for each commit's two fsyncs, and that wait "
      + "bounded the run at 85-95 devices/s. Its P-256 arithmetic is Bouncy Castle's lightweight code, 6 to 12 "
      + "times cheaper than the JDK's SunEC; TLS contexts take the key directly instead of through a PKCS#12 "
      + "store; the CRL is encoded directly, and the broker sync thread rests three times as long as each round "
      + "took. The simulated devices speak MQTT on their own thread each (Paho's client starts five threads per "
      + "connection and hands every packet between three; with a thousand devices those thread starts and "
      + "handoffs were a third of the machine's CPU, spent by the load rather than the service). The run is "
      + "measured after a warm-up campaign over the same fleet: a cold JVM spent one of the two cores compiling "
      + "for the whole first campaign. What remains: the simulated devices' TLS handshakes (the JDK's ECDHE and "
      + "ECDSA), the broker, the service's registry work and P-256 signatures, and kernel time. The ceiling row "
      + "is the bound of this machine: a rotation makes one connection and two request/responses, and at the CPU "
      + "the baselines measured for those, the machine that also runs the simulated fleet could not rotate "
      + "faster even if the service's work were free. Earlier: 7 devices/s before the service's publishes waited "
      + "for the broker's in-flight slots, 14 before the CRL came out of the confirm, 21-48 before the warm-up, "
      + "the one-thread simulated devices and the answers committed together.\n";

  private FleetRotationBenchmark() {}

  /** What one run measured. */
  record Result(int devices, int maxInFlight, double seconds, Baseline requests, Baseline reconnects,
      List<TimeChart.Sample> progress, double[] tookMillis, double cpuSeconds, ServiceShare service) {
    double perSecond() {
      return devices / seconds;
    }

    /**
     * Rotations per second this machine could reach if the service's own work (checks, signing,
     * the registry, the CRL) cost nothing: every rotation still makes one connection and two
     * request/responses, at the CPU the baselines measured.
     */
    double ceilingPerSecond() {
      return Runtime.getRuntime().availableProcessors() * 1000
          / (reconnects.cpuMillisEach() + 2 * requests.cpuMillisEach());
    }

    /** CPU time (this JVM and the broker, all threads) per device rotated. */
    double cpuMillisPerDevice() {
      return cpuSeconds * 1000 / devices;
    }
  }

  /**
   * The service's own two threads during the rotation: CPU per rotated device, and the share of the
   * run each was busy (the answering thread near 1.0 would make it the bound).
   */
  record ServiceShare(double answeringMillisPerDevice, double answeringBusy, double syncingBusy) {}

  /** A baseline: units per second, and the CPU (the JVM and the broker) per unit. */
  record Baseline(double perSecond, double cpuMillisEach) {}

  /** CPU seconds this JVM and process {@code pid} have used so far (user + system). */
  static double cpuSeconds(long pid) throws java.io.IOException {
    String[] f = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).replaceFirst("^.*\\) ", "")
        .split(" ");
    double ticks = 100; // USER_HZ on Linux
    double broker = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / ticks;
    return broker + ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  public static void run(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int maxInFlight = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Result r = measure(devices, maxInFlight);
    Path out = Path.of("docs", "benchmarks");
    Files.createDirectories(out);
    TimeChart.write(out.resolve("fleet-rotation.png"), String.format(Locale.ROOT,
        "Fleet rotation: %,d simulated agents, at most %d in flight, %.0f devices/s", r.devices(), r.maxInFlight(),
        r.perSecond()), r.progress(), new TimeChart.Labels("devices confirmed", "confirmed per second"), List.of());
    String md = report(r);
    Files.writeString(out.resolve("fleet-rotation.md"), md);
    System.out.print(md);
  }

  static Result measure(int count, int maxInFlight) throws Exception {
    Path dir = Files.createTempDirectory("holdfast-fleet-rotation-bench-");
    AtomicInteger failures = new AtomicInteger();
    ExecutorService setup = Executors.newFixedThreadPool(8);
    ExecutorService devices = Executors.newCachedThreadPool();
    List<SimulatedDevice> fleet = new ArrayList<>();
    try (RotationBench bench = new RotationBench(dir)) {
      try { // the devices end before the broker does
        for (int i = 0; i < count; i++) {
          fleet.add(new SimulatedDevice(bench, bench.enroll(String.format(Locale.ROOT, "dev-fleet%011d", i)),
              failures));
        }
        all(setup, fleet.stream().map(d -> (java.util.concurrent.Callable<Object>) d::connect).toList());
        System.err.println("fleet-rotation: " + count + " devices connected");
        ExecutorService bound = Executors.newFixedThreadPool(maxInFlight);
        Baseline requests = null;
        Baseline reconnects = null;
        for (int round = 0; round < WARM_UP_ROUNDS + 1; round++) { // the last round counts
          requests = baseline(bound, bench.broker.pid(), fleet, SimulatedDevice::askNothing);
          reconnects = baseline(bound, bench.broker.pid(), fleet, SimulatedDevice::reconnect);
        }
        bound.shutdownNow();
        fleet.forEach(devices::submit);
        FleetRotation rotation = new FleetRotation(bench.registry, new RemoteRotation(bench.registry,
            new CommandSigner(bench.registry, bench.random), bench.clock, bench.random, bench.scheduler),
            bench.clock, maxInFlight, Duration.ofMinutes(5));
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
          campaign(bench, rotation, maxInFlight, fleet, failures, requests, reconnects);
          System.err.println("fleet-rotation: warm-up campaign " + (round + 1) + " of " + WARM_UP_ROUNDS + " done");
        }
        return campaign(bench, rotation, maxInFlight, fleet, failures, requests, reconnects);
      } finally {
        devices.shutdownNow();
        fleet.forEach(SimulatedDevice::close);
      }
    } finally {
      setup.shutdownNow();
    }
  }

  /**
   * One campaign over the whole fleet, from the first command to the last device's confirm answer,
   * reported beside the run's baselines.
   */
  private static Result campaign(RotationBench bench, FleetRotation rotation, int maxInFlight,
      List<SimulatedDevice> fleet, AtomicInteger failures, Baseline requests, Baseline reconnects) throws Exception {
    int count = fleet.size();
    CountDownLatch answered = new CountDownLatch(count);
    fleet.forEach(d -> d.countAnswersOn(answered));
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try {
      FleetRotation.Campaign campaign = rotation.begin("bench", "bench");
      AtomicInteger done = new AtomicInteger();
      List<TimeChart.Sample> progress = Collections.synchronizedList(new ArrayList<>());
      double cpu0 = cpuSeconds(bench.broker.pid());
      RotationBench.ServiceCpu service0 = bench.serviceCpu();
      long t0 = System.nanoTime();
      sampler.scheduleAtFixedRate(() -> {
        int n = done.get();
        progress.add(new TimeChart.Sample((System.nanoTime() - t0) / 1e9, n, n));
      }, 0, SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
      List<FleetRotation.DeviceOutcome> outcomes = rotation.rotate(bench.service,
          fleet.stream().map(SimulatedDevice::id).toList(), (o, n, total) -> done.incrementAndGet());
      // confirmed counts once the confirm is committed; the device has its answer after the broker round
      if (!answered.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(answered.getCount() + " devices never received their confirm's answer ("
            + failures.get() + " device-side failures)");
      }
      double seconds = (fleet.stream().mapToLong(SimulatedDevice::answeredAt).max().orElseThrow() - t0) / 1e9;
      double cpu = cpuSeconds(bench.broker.pid()) - cpu0;
      RotationBench.ServiceCpu service1 = bench.serviceCpu();
      ServiceShare share = new ServiceShare((service1.answering() - service0.answering()) / 1e6 / count,
          (service1.answering() - service0.answering()) / 1e9 / seconds,
          (service1.syncing() - service0.syncing()) / 1e9 / seconds);
      sampler.shutdownNow();
      progress.add(new TimeChart.Sample(seconds, done.get(), done.get()));
      long confirmed = outcomes.stream().filter(o -> o.result() == FleetRotation.Result.CONFIRMED).count();
      if (confirmed != count || failures.get() > 0) {
        throw new IllegalStateException("only " + confirmed + " of " + count + " devices confirmed ("
            + failures.get() + " device-side failures); first other outcome: " + outcomes.stream()
                .filter(o -> o.result() != FleetRotation.Result.CONFIRMED).findFirst().map(Object::toString)
                .orElse("-"));
      }
      rotation.finish(campaign, "bench");
      double[] took = fleet.stream().mapToDouble(SimulatedDevice::tookMillis).sorted().toArray();
      return new Result(count, maxInFlight, seconds, requests, reconnects, List.copyOf(progress), took, cpu, share);
    } finally {
      sampler.shutdownNow();
    }
  }

  /** One {@code unit} per device, {@code pool} bounding how many at once. */
  private static Baseline baseline(ExecutorService pool, long brokerPid, List<SimulatedDevice> fleet, Unit unit)
      throws Exception {
    double cpu0 = cpuSeconds(brokerPid);
    long t0 = System.nanoTime();
    all(pool, fleet.stream().map(d -> (java.util.concurrent.Callable<Object>) () -> {
      unit.run(d);
      return null;
    }).toList());
    return new Baseline(fleet.size() / ((System.nanoTime() - t0) / 1e9),
        (cpuSeconds(brokerPid) - cpu0) * 1000 / fleet.size());
  }

  /** What a baseline does once per device. */
  @FunctionalInterface
  interface Unit {
    void run(SimulatedDevice device) throws Exception;
  }

  private static void all(ExecutorService pool, List<java.util.concurrent.Callable<Object>> work) throws Exception {
    for (Future<Object> f : pool.invokeAll(work)) {
      f.get();
    }
  }

  static String report(Result r) {
    StringBuilder md = new StringBuilder();
    md.append("# Fleet rotation benchmark\n\n")
        .append("Written by `bench/run fleet-rotation` (").append(String.format(Locale.ROOT, "%,d", r.devices()))
        .append(" simulated agents, at most ").append(r.maxInFlight()).append(" in flight). One provisioning ")
        .append("instance, every part real and in one JVM: the vault-backed registry, the fleet CA, the service's ")
        .append("broker connection answering `prov/req`, and the operator's `fleet rotate` code sending signed ")
        .append("`rotate` commands over it; loopback Mosquitto 2.0.11 with the shipped configuration, its CRL ")
        .append("rewritten and the broker SIGHUPed as revocations happen. Each simulated agent has its own MQTT ")
        .append("connection (TLS with its certificate, read and written on its own thread): on a command it checks ")
        .append("the signature, generates a key, renews, drops its connection, connects with the new certificate ")
        .append("and confirms, as the agent does. Every figure is taken after ").append(WARM_UP_ROUNDS)
        .append(" untimed round(s) of each baseline and of a whole campaign over the same fleet. The baseline, in ")
        .append("the same run, over the same connections and bound: a bare request/response through the service ")
        .append("(a request it refuses at once) per device; and the connection every rotation makes, on its own: ")
        .append("each simulated agent dropping its connection and connecting again with its certificate (TLS ")
        .append("handshake, CONNECT, two SUBSCRIBEs), which bounds what this machine can rotate while it also runs ")
        .append("the simulated fleet. Figures depend on the machine; the ratios compare.\n\n")
        .append("| | value |\n|---|---|\n")
        .append(String.format(Locale.ROOT, "| devices rotated, confirmed | %,d |%n", r.devices()))
        .append(String.format(Locale.ROOT, "| first command to the last device's confirm answer (s) | %.1f |%n",
            r.seconds()))
        .append(String.format(Locale.ROOT, "| **devices rotated per second** | **%.1f** |%n", r.perSecond()))
        .append(String.format(Locale.ROOT,
            "| one device, command received to confirm answered: median / p99 (ms) | %.0f / %.0f |%n",
            RotationBenchmark.percentile(r.tookMillis(), 50), RotationBenchmark.percentile(r.tookMillis(), 99)))
        .append(String.format(Locale.ROOT, "| baseline: bare request/responses per second | %.1f |%n",
            r.requests().perSecond()))
        .append(String.format(Locale.ROOT, "| rotations per second / baseline per second | %.3f |%n",
            r.perSecond() / r.requests().perSecond()))
        .append(String.format(Locale.ROOT, "| CPU per bare request/response, service + simulated agent + broker (ms) "
            + "| %.1f |%n", r.requests().cpuMillisEach()))
        .append(String.format(Locale.ROOT, "| reconnect baseline: connections per second | %.1f |%n",
            r.reconnects().perSecond()))
        .append(String.format(Locale.ROOT, "| rotations per second / connections per second | %.2f |%n",
            r.perSecond() / r.reconnects().perSecond()))
        .append(String.format(Locale.ROOT, "| CPU per connection, simulated agent + broker (ms) | %.1f |%n",
            r.reconnects().cpuMillisEach()))
        .append(String.format(Locale.ROOT, "| ceiling on this machine if the service's own work were free: "
            + "one connection + two request/responses per rotation (devices/s) | %.0f |%n", r.ceilingPerSecond()))
        .append(String.format(Locale.ROOT,
            "| CPU per device rotated, service + simulated agents + broker (ms) | %.1f |%n", r.cpuMillisPerDevice()))
        .append(String.format(Locale.ROOT, "| the service's answering thread: CPU per device (ms), busy share of the "
            + "run | %.1f, %.0f%% |%n", r.service().answeringMillisPerDevice(), r.service().answeringBusy() * 100))
        .append(String.format(Locale.ROOT, "| the service's broker sync thread: busy share of the run | %.0f%% |%n",
            r.service().syncingBusy() * 100))
        .append(String.format(Locale.ROOT, "| cores busy while rotating (this machine: %d) | %.2f |%n",
            Runtime.getRuntime().availableProcessors(), r.cpuSeconds() / r.seconds()))
        .append(String.format(Locale.ROOT, "| cores the goal would need at this CPU per device | %.1f |%n",
            r.cpuMillisPerDevice() * GOAL_PER_SECOND / 1000))
        .append(String.format(Locale.ROOT, "%nGoal: >= %.0f devices/s (Azure DPS advertises 1,000 registrations a "
            + "minute per instance, 16.7/s): %s (%.1f devices/s; this machine's ceiling with the simulated fleet on "
            + "it: %.0f).%n%n", GOAL_PER_SECOND, r.perSecond() >= GOAL_PER_SECOND ? "met" : "NOT met", r.perSecond(),
            r.ceilingPerSecond()))
        .append("![devices confirmed over time](fleet-rotation.png)\n").append(WHERE_THE_TIME_GOES);
    return md.toString();
  }
}
