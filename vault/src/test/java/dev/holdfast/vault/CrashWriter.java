package dev.holdfast.vault;

import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Child process for {@link VaultCrashIT}: writes numbered records, several per transaction, and
 * prints "acked N" after each durable commit, until it is killed.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int start = Integer.parseInt(args[1]);
    try (Vault v = Vault.open(file, TestKeys.first(), new SecureRandom())) {
      for (int n = start; ; n += 3) {
        int first = n;
        v.write(tx -> {
          for (int i = first; i < first + 3; i++) {
            tx.put(VaultTest.NOTES, String.format("%08d", i), "payload-" + i + "-" + "y".repeat(i % 500));
          }
          if (first % 2 == 0) {
            tx.remove(VaultTest.NOTES, String.format("%08d", first - 2));
            tx.put(VaultTest.NOTES, String.format("%08d", first - 2), "rewritten-" + (first - 2));
          }
          return null;
        });
        System.out.println("acked " + (first + 2));
        System.out.flush();
      }
    }
  }
}
