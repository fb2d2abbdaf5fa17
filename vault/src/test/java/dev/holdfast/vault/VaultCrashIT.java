package dev.holdfast.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kill -9 of a real JVM in the middle of a stream of commits, many times: every commit that
 * was acknowledged is there afterwards, and the vault always opens and verifies.
 */
class VaultCrashIT {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedCommitSurvivesKillNineAndTheVaultAlwaysVerifies() throws Exception {
    Path file = dir.resolve("agent.db");
    Vault.create(file, TestKeys.first(), new SecureRandom()).close();
    Random random = new Random(7);
    int next = 0;
    int cycles = 25;
    for (int cycle = 0; cycle < cycles; cycle++) {
      AtomicInteger acked = new AtomicInteger(next - 1);
      Process child = new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp", System.getProperty("java.class.path"),
              CrashWriter.class.getName(), file.toString(), Integer.toString(next))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            acked.set(Integer.parseInt(line.substring("acked ".length())));
          }
        } catch (Exception ignored) {
          // the pipe breaks when the child is killed
        }
      });
      reader.start();
      // kill at a random moment once the child has made some progress
      long target = next + 30 + random.nextInt(300);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.get() < target && child.isAlive() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(child.isAlive()).as("child still writing in cycle %d", cycle).isTrue();
      child.destroyForcibly(); // SIGKILL
      child.waitFor();
      reader.join();
      int lastAcked = acked.get();

      try (Vault v = Vault.open(file, TestKeys.first(), new SecureRandom())) {
        assertThat(v.verify().ok()).as("verify after cycle %d", cycle).isTrue();
        var notes = v.entries(VaultTest.NOTES);
        var keys = notes.stream().map(java.util.Map.Entry::getKey).collect(java.util.stream.Collectors.toSet());
        for (int i = 0; i <= lastAcked; i++) {
          assertThat(keys).as("record %d acked before kill %d", i, cycle).contains(String.format("%08d", i));
        }
        // continue numbering after whatever made it in, acknowledged or not
        next = notes.isEmpty() ? 0 : Integer.parseInt(notes.get(notes.size() - 1).getKey()) + 1;
        while (next % 3 != 0) {
          next++;
        }
      }
    }
  }
}
