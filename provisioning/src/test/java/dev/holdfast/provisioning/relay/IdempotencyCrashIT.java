package dev.holdfast.provisioning.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestRegistries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kill -9 of a real JVM whose eight threads complete idempotency keys through shared commits:
 * every key whose {@code complete} returned (the relay's 201) is replayed with its response by the
 * relay that starts afterwards, and the commits were fewer than two per key.
 */
class IdempotencyCrashIT {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedSentRecordSurvivesKillNineAndConcurrentKeysShareCommits() throws Exception {
    TestRegistries.create(dir, TestRandom.seeded(72)).close();
    for (int cycle = 0; cycle < 3; cycle++) {
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicLong commits = new AtomicLong();
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), IdempotencyCrashChild.class.getName(), dir.toString(),
          "c" + cycle).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            String[] f = line.split(" ");
            acked.add(f[1]);
            commits.accumulateAndGet(Long.parseLong(f[2]), Math::max);
          }
        } catch (Exception ignored) {
          // the pipe breaks when the child is killed
        }
      });
      reader.start();
      int target = 200 + 150 * cycle;
      await().atMost(Duration.ofSeconds(120)).until(() -> acked.size() >= target || !child.isAlive());
      assertThat(child.isAlive()).as("child still sending in cycle %d", cycle).isTrue();
      child.destroyForcibly(); // SIGKILL
      child.waitFor();
      reader.join();

      try (MapDbRegistry registry = TestRegistries.open(dir, TestRandom.seeded(73));
          IdempotencyStore store = IdempotencyStore.open(registry, dir.resolve(IdempotencyStore.DIR),
              MutableClock.atStart(), Duration.ofHours(24), "checker-" + cycle, TestRandom.seeded(75))) {
        store.start(r -> new Thread(r, "checker-idempotency"));
        for (String key : acked) {
          assertThat(store.begin("key-1", key, GroupCommitTest.BODY)).as("acknowledged %s before kill %d", key, cycle)
              .isEqualTo(new IdempotencyStore.Replay(201, "{\"id\":\"" + key + "\"}"));
        }
      }
      assertThat(commits.get()).as("commits for %d acknowledged keys (two changes each)", acked.size())
          .isLessThan(2L * acked.size());
    }
  }
}
