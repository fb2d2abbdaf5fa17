package dev.holdfast.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.vault.testing.SimulatedDisk;
import dev.holdfast.vault.testing.SimulatedDisk.Survival;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The vault on a simulated disk that stops at every I/O point of its creation and of its commits
 * (every write, flush, creation, rename, deletion and directory sync), and for each way the disk
 * may be found afterwards — only what was flushed, everything written, the cut write torn either
 * way — the vault that opens again holds exactly the state before the interrupted operation or
 * the state after it, opens without help, verifies, and takes the next write.
 */
class VaultFaultPointsTest {
  static final Path FILE = Path.of("/device/data/agent.db");

  /** One operation of the workload and the notes the vault holds once it is acknowledged. */
  private record Step(String name, Map<String, String> after, Action action) {}

  @FunctionalInterface
  private interface Action {
    void run(Vault v) throws VaultException;
  }

  /** What a run came to: the state acknowledged last, and the one the interrupted step would make. */
  private record Outcome(Map<String, String> acknowledged, Map<String, String> inFlight) {}

  private static List<Step> workload() {
    List<Step> steps = new ArrayList<>();
    Map<String, String> notes = new TreeMap<>();
    steps.add(new Step("create", Map.copyOf(notes), v -> { }));
    notes.put("a", "1");
    steps.add(new Step("one put", Map.copyOf(notes), v -> put(v, Map.of("a", "1"))));
    notes.put("b", "2");
    notes.put("c", "3");
    steps.add(new Step("two puts", Map.copyOf(notes), v -> put(v, Map.of("b", "2", "c", "3"))));
    notes.put("a", "one");
    notes.remove("c");
    steps.add(new Step("update and remove", Map.copyOf(notes), v -> v.write(tx -> {
      tx.put(VaultTest.NOTES, "a", "one");
      tx.remove(VaultTest.NOTES, "c");
      return null;
    })));
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      many.put(String.format("n%03d", i), "x".repeat(40 + i * 13)); // enough to split B-tree nodes
    }
    notes.putAll(many);
    steps.add(new Step("sixty puts", Map.copyOf(notes), v -> put(v, many)));
    for (int i = 0; i < 5; i++) { // past the store flush that comes every fourth commit, twice
      String key = "late" + i;
      notes.put(key, "v" + i);
      steps.add(new Step("late put " + i, Map.copyOf(notes), v -> put(v, Map.of(key, "v" + key.charAt(4)))));
    }
    return steps;
  }

  private static void put(Vault v, Map<String, String> entries) throws VaultException {
    v.write(tx -> {
      entries.forEach((k, val) -> tx.put(VaultTest.NOTES, k, val));
      return null;
    });
  }

  /** Runs the workload until it ends or the disk stops; null state means "no vault yet". */
  private static Outcome run(SimulatedDisk disk) {
    disk.createDirectories(FILE.getParent());
    Map<String, String> acknowledged = null;
    Vault vault = null;
    try {
      for (Step step : workload()) {
        disk.phase(step.name());
        try {
          if (vault == null) {
            vault = Vault.create(disk, FILE, TestKeys.first(), new SecureRandom());
          }
          step.action().run(vault);
        } catch (VaultException | RuntimeException e) {
          assertThat(disk.stoppedAt()).as("a failure without a crash: %s", e).isPresent();
          return new Outcome(acknowledged, step.after());
        }
        acknowledged = step.after();
      }
      return new Outcome(acknowledged, acknowledged);
    } finally {
      if (vault != null) {
        try {
          vault.close();
        } catch (RuntimeException ignored) {
          // the machine is "off": closing may fail
        }
      }
    }
  }

  @Test
  void atEveryIoPointOfCreationAndCommitTheVaultReopensHoldingTheStateBeforeOrAfterTheInterruptedStep()
      throws Exception {
    SimulatedDisk counting = new SimulatedDisk();
    run(counting);
    List<SimulatedDisk.Point> points = counting.points();
    assertThat(points).as("the workload's I/O points").hasSizeGreaterThan(20);
    Map<SimulatedDisk.Kind, Integer> byKind = new EnumMap<>(SimulatedDisk.Kind.class);
    int reopened = 0;
    for (SimulatedDisk.Point point : points) {
      byKind.merge(point.kind(), 1, Integer::sum);
      SimulatedDisk disk = new SimulatedDisk().stopAt(point.number());
      Outcome outcome = run(disk);
      assertThat(disk.stoppedAt()).as("point %s was reached again", point).contains(point);
      List<Survival> survivals = new ArrayList<>(List.of(Survival.FLUSHED_ONLY, Survival.ALL_WRITTEN));
      if (disk.stoppedInAWrite()) {
        survivals.addAll(List.of(Survival.TORN_HEAD, Survival.TORN_TAIL));
      }
      for (Survival survival : survivals) {
        Map<String, String> found = reopen(disk.afterCrash(survival), point + " " + survival);
        assertThat(found).as("stopped at %s, disk found %s", point, survival)
            .isIn(outcome.acknowledged(), outcome.inFlight());
        reopened++;
      }
    }
    System.out.printf("vault: %d I/O points (%s), %d crash images reopened%n", points.size(), byKind, reopened);
  }

  /** Opens the vault on the disk as found, checks it and writes to it; null when there is no vault. */
  private static Map<String, String> reopen(SimulatedDisk disk, String what) throws Exception {
    Map<String, String> found = new TreeMap<>();
    try (Vault v = Vault.open(disk, FILE, TestKeys.first(), new SecureRandom())) {
      assertThat(v.verify().ok()).as("verify after %s", what).isTrue();
      v.entries(VaultTest.NOTES).forEach(e -> found.put(e.getKey(), e.getValue()));
      put(v, Map.of("after-crash", "yes"));
    } catch (VaultException e) {
      assertThat(e.reason()).as("after %s: %s", what, e.getMessage()).isEqualTo(VaultException.Reason.MISSING);
      return null;
    }
    try (Vault v = Vault.open(disk, FILE, TestKeys.first(), new SecureRandom())) {
      assertThat(v.get(VaultTest.NOTES, "after-crash")).as("a write after %s", what).contains("yes");
    }
    return found;
  }
}
