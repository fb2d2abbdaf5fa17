package dev.holdfast.provisioning.relay;

import static dev.holdfast.provisioning.relay.IdempotencyLogTest.NOW;
import static dev.holdfast.provisioning.relay.IdempotencyLogTest.held;
import static dev.holdfast.provisioning.relay.IdempotencyLogTest.open;
import static dev.holdfast.provisioning.relay.IdempotencyLogTest.put;
import static dev.holdfast.provisioning.relay.IdempotencyLogTest.sending;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.registry.IdempotencyRecord;
import dev.holdfast.vault.testing.SimulatedDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The relay's idempotency log on a simulated disk that stops at every I/O point of a workload going
 * through every path that writes: creation, appends of one and of several changes, releases,
 * compactions into the next generation, a restart. For each point and each way the disk may be
 * found (only what was flushed, everything written, the cut write torn at its head or its tail), the
 * log that opens again holds exactly what was acknowledged, or that plus the interrupted write, whole;
 * it then takes another write and opens again the same.
 */
class IdempotencyLogFaultPointsTest {
  static final Path DIR = Path.of("/srv/holdfast/relay-idempotency");
  /** Small, so that the workload compacts several times. */
  static final long FLOOR = 600;

  /** The log the workload runs on. */
  static final class Relay {
    final SimulatedDisk disk;
    IdempotencyLog log;

    Relay(SimulatedDisk disk) {
      this.disk = disk;
    }
  }

  @FunctionalInterface
  private interface Op {
    void run(Relay r) throws Exception;
  }

  private static List<Op> workload() {
    List<Op> ops = new ArrayList<>();
    ops.add(r -> r.log = open(r.disk, DIR, NOW, FLOOR));
    ops.add(r -> put(r.log, sending("a", NOW)));
    ops.add(r -> put(r.log, sending("a", NOW).completed(201, "{\"id\":\"msg_a\"}")));
    ops.add(r -> put(r.log, sending("b", NOW), sending("c", NOW)));
    ops.add(r -> r.log.write(x -> x.remove(new IdempotencyRecord.Key("key-1", "b"))));
    for (int i = 0; i < 16; i++) { // garbage grows past twice the live records: compactions
      int n = i;
      ops.add(r -> put(r.log, sending("c", NOW).completed(201, "{\"n\":" + n + ",\"pad\":\"" + "p".repeat(40) + "\"}")));
    }
    ops.add(r -> {
      r.log.close();
      r.log = open(r.disk, DIR, NOW, FLOOR);
    });
    ops.add(r -> put(r.log, sending("d", NOW), sending("a", NOW).completed(422, "{\"error\":\"x\"}")));
    return ops;
  }

  /** The states after each acknowledged operation (the first: none yet), and whether the next one was cut. */
  private record Run(List<Map<String, String>> states, boolean cut) {}

  private static Run run(SimulatedDisk disk) {
    Relay relay = new Relay(disk);
    List<Map<String, String>> states = new ArrayList<>();
    states.add(Map.of());
    try {
      for (Op op : workload()) {
        try {
          op.run(relay);
        } catch (Exception e) {
          assertThat(disk.stoppedAt()).as("failed without a crash: %s", e).isPresent();
          return new Run(states, true);
        }
        states.add(held(relay.log));
        if (disk.stoppedAt().isPresent()) {
          return new Run(states, false); // acknowledged; what failed after it (a compaction) is the log's own
        }
      }
      return new Run(states, false);
    } finally {
      if (relay.log != null) {
        relay.log.close();
      }
    }
  }

  @Test
  void atEveryIoPointTheReopenedLogHoldsWhatWasAcknowledgedOrThatAndTheInterruptedWriteWhole() throws Exception {
    SimulatedDisk reference = new SimulatedDisk();
    Run complete = run(reference);
    int total = reference.points().size();
    assertThat(complete.states()).hasSize(workload().size() + 1);
    assertThat(reference.points()).as("compactions ran: renames into the next generation")
        .filteredOn(p -> p.kind() == SimulatedDisk.Kind.RENAME).hasSizeGreaterThanOrEqualTo(2);

    int checked = 0;
    for (int n = 1; n <= total; n++) {
      for (SimulatedDisk.Survival survival : SimulatedDisk.Survival.values()) {
        SimulatedDisk disk = new SimulatedDisk().stopAt(n);
        Run cut = run(disk);
        if (!disk.stoppedInAWrite() && (survival == SimulatedDisk.Survival.TORN_HEAD
            || survival == SimulatedDisk.Survival.TORN_TAIL)) {
          continue;
        }
        int acknowledged = cut.states().size() - 1;
        Map<String, String> before = cut.states().get(acknowledged);
        String where = "I/O point " + n + " of " + total + " (" + disk.stoppedAt().orElseThrow() + "), " + survival;

        SimulatedDisk after = disk.afterCrash(survival);
        IdempotencyLog log = open(after, DIR, NOW, FLOOR);
        try {
          Map<String, String> found = held(log);
          if (cut.cut() && acknowledged + 1 < complete.states().size()) {
            assertThat(found).as(where).isIn(before, complete.states().get(acknowledged + 1));
          } else {
            assertThat(found).as(where).isEqualTo(before);
          }
          put(log, sending("z", NOW));
          Map<String, String> next = held(log);
          log.close();
          log = open(after, DIR, NOW, FLOOR);
          assertThat(held(log)).as(where + ", then one more write").isEqualTo(next);
        } finally {
          log.close();
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(2 * total);
  }
}
