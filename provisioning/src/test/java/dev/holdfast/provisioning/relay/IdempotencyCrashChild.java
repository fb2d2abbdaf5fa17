package dev.holdfast.provisioning.relay;

import dev.holdfast.provisioning.registry.mapdb.MapDbRegistry;
import dev.holdfast.provisioning.testing.MutableClock;
import dev.holdfast.provisioning.testing.TestRandom;
import dev.holdfast.provisioning.testing.TestRegistries;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link IdempotencyCrashIT}: eight threads begin and complete idempotency keys
 * through one store, as concurrent relay requests do, and print {@code sent KEY COMMITS} for each
 * one whose {@code complete} has returned (the moment the relay would answer 201), until killed.
 */
public final class IdempotencyCrashChild {
  static final int THREADS = 8;

  private IdempotencyCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String cycle = args[1];
    MapDbRegistry registry = TestRegistries.open(dir, TestRandom.seeded(71));
    IdempotencyStore store = IdempotencyStore.open(registry, dir.resolve(IdempotencyStore.DIR), MutableClock.atStart(),
        Duration.ofHours(24), "relay-" + cycle, new java.security.SecureRandom());
    store.start(r -> new Thread(r, "child-idempotency"));
    PrintStream out = System.out;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      String prefix = cycle + "-" + t + "-";
      Thread thread = new Thread(() -> {
        try {
          for (int i = 0; ; i++) {
            String key = prefix + i;
            store.begin("key-1", key, GroupCommitTest.BODY);
            store.complete("key-1", key, 201, "{\"id\":\"" + key + "\"}");
            synchronized (out) {
              out.println("sent " + key + " " + store.commits());
              out.flush();
            }
          }
        } catch (Exception e) {
          e.printStackTrace();
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
