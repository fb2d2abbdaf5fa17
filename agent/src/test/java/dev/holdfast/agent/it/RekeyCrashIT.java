package dev.holdfast.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.agent.secrets.Secrets;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.KeyFiles;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import dev.holdfast.vault.VaultException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault rekey} killed with kill -9 at many moments, from JVM start to the rename: the
 * vault always opens with the old key or the new one, verifies, and holds every record.
 */
class RekeyCrashIT {
  static final int RECORDS = 1500;

  @TempDir Path home;

  @Test
  void rekeyKilledAtAnyMomentLeavesAVaultThatOpensWithTheOldOrTheNewKeyWithAllRecords() throws Exception {
    Path keyA = home.resolve("a.key");
    Path keyB = home.resolve("b.key");
    SecureRandom secureRandom = new SecureRandom();
    KeyFiles.generate(keyA, secureRandom);
    KeyFiles.generate(keyB, secureRandom);
    Path vaultFile = home.resolve("data").resolve("agent.db");
    try (Vault v = Vault.create(vaultFile, key(keyA), secureRandom)) {
      v.write(tx -> {
        for (int i = 0; i < RECORDS; i++) {
          tx.put(Secrets.COLLECTION, "name-" + i, Secret.copyOf(("value-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return null;
      });
    }

    // how long an uninterrupted rekey takes here, JVM start included
    long started = System.nanoTime();
    assertThat(rekey(keyA, keyB).waitFor()).isZero();
    long fullRun = System.nanoTime() - started;
    Path current = keyB;
    assertThat(opensWith(vaultFile, current)).isTrue();

    Random random = new Random(1122);
    int landedOld = 0;
    int landedNew = 0;
    Path temp = vaultFile.resolveSibling("agent.db.rekey");
    for (int cycle = 0; cycle < 20; cycle++) {
      Path target = current.equals(keyA) ? keyB : keyA;
      Process p = rekey(current, target);
      if (cycle % 2 == 0) {
        // anywhere from JVM start to well after the rename
        LockSupport.parkNanos((long) (fullRun * 1.5 * random.nextDouble()));
      } else {
        // inside the copy and the rename: from the moment the new file appears
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!java.nio.file.Files.exists(temp) && p.isAlive() && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(250)));
      }
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);

      boolean old = opensWith(vaultFile, current);
      boolean fresh = opensWith(vaultFile, target);
      assertThat(old ^ fresh).as("cycle %d opens with exactly one key", cycle).isTrue();
      if (fresh) {
        current = target;
        landedNew++;
      } else {
        landedOld++;
      }
      try (Vault v = Vault.open(vaultFile, key(current), secureRandom)) {
        assertThat(v.verify().ok()).as("cycle %d verifies", cycle).isTrue();
        Map<String, String> all = new java.util.HashMap<>();
        for (var e : v.entries(Secrets.COLLECTION)) {
          all.put(e.getKey(), new String(e.getValue().bytes(), StandardCharsets.UTF_8));
        }
        assertThat(all).as("cycle %d records", cycle).hasSize(RECORDS)
            .containsEntry("name-0", "value-0").containsEntry("name-" + (RECORDS - 1), "value-" + (RECORDS - 1));
      }
    }
    System.out.printf("rekey kill -9: %d cycles left the old key, %d the new key (full run %d ms)%n",
        landedOld, landedNew, TimeUnit.NANOSECONDS.toMillis(fullRun));
  }

  private Process rekey(Path from, Path to) throws Exception {
    return AgentJar.builder(home, "vault", "rekey", "--new-key-file", to.toString(),
            "--data-dir", "data", "--key-file", from.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static MasterKeySource key(Path file) throws VaultException {
    return MasterKeySource.ofKey(KeyFiles.read(file), "key file " + file);
  }

  private static boolean opensWith(Path vaultFile, Path keyFile) throws Exception {
    try (Vault v = Vault.open(vaultFile, key(keyFile), new SecureRandom())) {
      return v.file() != null;
    } catch (VaultException e) {
      if (e.reason() == VaultException.Reason.WRONG_KEY) {
        return false;
      }
      throw e;
    }
  }
}
