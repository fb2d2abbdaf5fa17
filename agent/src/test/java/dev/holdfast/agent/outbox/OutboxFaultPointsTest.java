package dev.holdfast.agent.outbox;

import static dev.holdfast.agent.outbox.OutboxFixture.POLICY;
import static dev.holdfast.agent.outbox.OutboxFixture.sms;
import static dev.holdfast.agent.outbox.OutboxFixture.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.testing.MutableClock;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import dev.holdfast.vault.testing.SimulatedDisk;
import dev.holdfast.vault.testing.SimulatedDisk.Survival;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The outbox and its vault on a simulated disk that stops at every I/O point of a workload that
 * goes through every path that writes: the vault's creation and commits, enqueue (append, segment
 * rolls, a spare reused), delivery outcomes (retry, dead letter, delivered), removal (segments
 * retired, a stuck record copied forward), drop, retry, clean stop and start. For each point and
 * each way the disk may be found — only what was flushed, everything written, the cut write torn
 * at its head or at its tail — the outbox that opens again holds exactly what was acknowledged
 * before the interrupted operation, or that plus the interrupted operation, whole: nothing lost,
 * nothing half-applied, nothing that was never submitted. It then takes a new record and opens
 * again cleanly.
 */
class OutboxFaultPointsTest {
  static final Path FILE = Path.of("/device/data/agent.db");
  static final OutboxSettings SETTINGS = new OutboxSettings(1000, 1 << 20, 4096, OutboxSettings.WhenFull.REFUSE,
      Duration.ofDays(7), 4, Duration.ofSeconds(1), Duration.ofMinutes(1));
  /** Small segments, so that the workload rolls, retires, reuses the spare and compacts. */
  static final int SEGMENT = 8192;

  /** The objects the workload runs on. */
  static final class Device {
    final SimulatedDisk disk;
    final MutableClock clock = MutableClock.atTheStartOf2026();
    Vault vault;
    Outbox outbox;
    final List<RecordId> ids = new ArrayList<>();

    Device(SimulatedDisk disk) {
      this.disk = disk;
    }

    void open() throws Exception {
      vault = Vault.open(disk, FILE, OutboxFixture.key(), new SecureRandom());
      outbox = Outbox.open(vault, SETTINGS, clock, new SplittableRandom(7), storage());
    }

    void close() {
      if (outbox != null) {
        outbox.close();
        outbox = null;
      }
      if (vault != null) {
        vault.close();
        vault = null;
      }
    }

    OutboxRecord record(int i) throws OutboxException {
      return outbox.find(ids.get(i)).orElseThrow();
    }
  }

  static OutboxStorage storage() {
    return new OutboxStorage(SEGMENT, 1 << 20, Executors.newSingleThreadScheduledExecutor(), System::nanoTime, true);
  }

  /** One acknowledged operation of the workload. */
  private record Op(String phase, Action action) {}

  @FunctionalInterface
  private interface Action {
    void run(Device d) throws Exception;
  }

  private static List<Op> workload() {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op("vault", d -> d.vault = Vault.create(d.disk, FILE, OutboxFixture.key(), new SecureRandom())));
    ops.add(new Op("open", d -> d.outbox = Outbox.open(d.vault, SETTINGS, d.clock, new SplittableRandom(7),
        storage())));
    ops.add(new Op("append", d -> d.ids.add(d.outbox.enqueue(sms("+15551234567", "first")))));
    ops.add(new Op("append", d -> d.ids.add(d.outbox.enqueue(webhook("https://a.test/hook", "{\"n\":1}")))));
    ops.add(new Op("append", d -> d.ids.add(d.outbox.enqueue(webhook("https://a.test/hook", "{\"n\":2}")))));
    ops.add(new Op("append", d -> d.ids.add(d.outbox.enqueue(OutboxFixture.withKey(
        webhook("https://b.test/hook", "{\"n\":3}"), "key-3")))));
    ops.add(new Op("delivery", d -> d.outbox.recordOutcome(d.record(0),
        new DeliveryOutcome.Retry("HTTP 503", Optional.of(Duration.ofDays(30))), POLICY)));
    ops.add(new Op("delivery", d -> d.outbox.recordOutcome(d.record(3), new DeliveryOutcome.Permanent("HTTP 404"),
        POLICY)));
    ops.add(new Op("delivery", d -> d.outbox.recordOutcome(d.record(1), new DeliveryOutcome.Delivered("HTTP 200"),
        POLICY)));
    ops.add(new Op("restart", d -> {
      d.close();
      d.open();
    }));
    for (int i = 0; i < 24; i++) { // ~1 KiB each: rolls every few records
      int n = i;
      ops.add(new Op("append", d -> d.ids.add(d.outbox.enqueue(webhook("https://c.test/" + (n % 3),
          "{\"pad\":\"" + "p".repeat(900) + n + "\"}")))));
    }
    for (int i = 4; i < 28; i++) {
      int n = i;
      ops.add(new Op("removal", d -> d.outbox.recordOutcome(d.record(n), new DeliveryOutcome.Delivered("HTTP 200"),
          POLICY)));
    }
    for (int i = 0; i < 8; i++) { // more: the spare is reused, the stuck first record copied forward
      int n = i;
      ops.add(new Op("append", d -> d.ids.add(d.outbox.enqueue(webhook("https://c.test/x",
          "{\"pad\":\"" + "q".repeat(900) + n + "\"}")))));
      ops.add(new Op("removal", d -> d.outbox.recordOutcome(d.record(d.ids.size() - 1),
          new DeliveryOutcome.Delivered("HTTP 200"), POLICY)));
    }
    ops.add(new Op("retry", d -> d.outbox.retry(d.ids.get(3))));
    ops.add(new Op("drop", d -> d.outbox.drop(d.ids.get(2))));
    ops.add(new Op("stop", Device::close));
    return ops;
  }

  /** A run of the workload: the state after each operation acknowledged, and where it stopped. */
  private record Run(List<Map<String, String>> states, int interrupted) {}

  private static Run run(SimulatedDisk disk, boolean record) throws OutboxException {
    disk.createDirectories(FILE.getParent());
    Device d = new Device(disk);
    List<Map<String, String>> states = new ArrayList<>();
    states.add(null); // before anything: no vault
    List<Op> ops = workload();
    try {
      for (int i = 0; i < ops.size(); i++) {
        disk.phase(ops.get(i).phase());
        try {
          ops.get(i).action().run(d);
        } catch (Exception | AssertionError e) {
          assertThat(disk.stoppedAt()).as("op %d (%s) failed without a crash: %s", i, ops.get(i).phase(), e)
              .isPresent();
          return new Run(states, i);
        }
        if (disk.stoppedAt().isPresent()) {
          return new Run(states, i); // a failure swallowed on the way (the stop's note in the vault)
        }
        boolean stopped = ops.get(i).phase().equals("stop");
        states.add(!record ? null : stopped ? states.get(states.size() - 1) : state(d));
      }
      return new Run(states, ops.size());
    } finally {
      try {
        d.close();
      } catch (RuntimeException ignored) {
        // the machine is off
      }
    }
  }

  /** What the outbox holds: every record's fields and body, and each channel's counters. */
  static Map<String, String> state(Device d) throws OutboxException {
    Map<String, String> s = new TreeMap<>();
    if (d.outbox == null) { // a vault, no outbox opened yet: opening one shows it empty
      for (Channel c : Channel.values()) {
        s.put("stats:" + c.wireName(), ChannelStats.EMPTY.toString());
      }
      return s;
    }
    for (boolean dead : new boolean[] {false, true}) {
      for (RecordSummary summary : d.outbox.list(dead)) {
        OutboxRecord r = d.outbox.find(summary.id()).orElseThrow();
        s.put(r.id().toString(), String.join("|", r.channel().wireName(), r.destination(), r.idempotencyKey(),
            java.util.HexFormat.of().formatHex(r.payload()), r.contentType(), r.created().toString(),
            r.expires().toString(), Integer.toString(r.attempts()), r.nextAttempt().toString(),
            r.lastError().orElse("-"), Boolean.toString(r.dead())));
      }
    }
    for (Map.Entry<Channel, ChannelStats> e : d.outbox.status().channels().entrySet()) {
      s.put("stats:" + e.getKey().wireName(), e.getValue().toString());
    }
    return s;
  }

  @Test
  void atEveryIoPointTheReopenedOutboxHoldsExactlyWhatWasAcknowledgedBeforeOrAfterTheInterruptedOperation()
      throws Exception {
    SimulatedDisk reference = new SimulatedDisk();
    Run complete = run(reference, true);
    List<SimulatedDisk.Point> points = reference.points();
    assertThat(complete.interrupted()).isEqualTo(workload().size());
    assertThat(reference.list(FILE.resolveSibling("outbox"))).as("segment 1, where the first record stayed queued,"
        + " was compacted away; the spare was kept").doesNotContain(FILE.resolveSibling("outbox/0000000000000001.seg"))
        .contains(FILE.resolveSibling("outbox/spare.seg"));
    Map<String, Integer> byPhase = new TreeMap<>();
    Map<SimulatedDisk.Kind, Integer> byKind = new EnumMap<>(SimulatedDisk.Kind.class);
    int images = 0;
    for (SimulatedDisk.Point point : points) {
      byPhase.merge(point.phase(), 1, Integer::sum);
      byKind.merge(point.kind(), 1, Integer::sum);
      SimulatedDisk disk = new SimulatedDisk().stopAt(point.number());
      Run run = run(disk, false);
      // the same I/O in the same order (the phase may differ: a retirement runs on after its caller is answered)
      assertThat(disk.stoppedAt()).as("point %s was reached again", point)
          .hasValueSatisfying(p -> assertThat(List.of(p.kind(), p.path())).isEqualTo(List.of(point.kind(), point.path())));
      Map<String, String> before = complete.states().get(run.interrupted());
      Map<String, String> after = complete.states().get(Math.min(run.interrupted() + 1, complete.states().size() - 1));
      List<Survival> survivals = new ArrayList<>(List.of(Survival.FLUSHED_ONLY, Survival.ALL_WRITTEN));
      if (disk.stoppedInAWrite()) {
        survivals.addAll(List.of(Survival.TORN_HEAD, Survival.TORN_TAIL));
      }
      for (Survival survival : survivals) {
        String what = point + " " + survival;
        Map<String, String> found = reopen(disk.afterCrash(survival), what);
        assertThat(found).as("stopped at %s, found %s", point, survival).isIn(before, after);
        images++;
      }
    }
    System.out.printf("outbox: %d I/O points by phase %s, by kind %s; %d crash images reopened%n", points.size(),
        byPhase, byKind, images);
    assertThat(byPhase).containsKeys("append", "delivery", "removal", "restart");
  }

  /** Opens vault and outbox on the disk as found and reads them; null when there is no vault yet. */
  private static Map<String, String> reopen(SimulatedDisk disk, String what) throws Exception {
    Device d = new Device(disk);
    Map<String, String> found;
    try {
      try {
        d.open();
      } catch (VaultException e) {
        assertThat(e.reason()).as("%s: %s", what, e.getMessage()).isEqualTo(VaultException.Reason.MISSING);
        return null;
      }
      found = state(d);
      d.outbox.enqueue(sms("+15550000000", "after the crash"));
    } finally {
      d.close();
    }
    Device again = new Device(disk);
    try {
      again.open();
      long records = found.keySet().stream().filter(k -> !k.startsWith("stats:")).count();
      assertThat(again.outbox.list(false).size() + again.outbox.list(true).size())
          .as("%s: opens again, with the record added after the crash", what).isEqualTo(records + 1);
    } finally {
      again.close();
    }
    return found;
  }
}
