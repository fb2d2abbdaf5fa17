package dev.holdfast.bench.outbox;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.protocol.crypto.Secret;
import dev.holdfast.vault.MasterKeySource;
import dev.holdfast.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A diagnostic between the disk and the agent: {@link Outbox#enqueue} called in this JVM (group
 * commit, sealing, the log), without the socket, JSON or a second process.
 */
final class InProcessOutbox {
  private InProcessOutbox() {}

  static double enqueueRate(Path dir, Params params, int producers, double seconds) throws Exception {
    byte[] key = new byte[32];
    SecureRandom random = new SecureRandom();
    random.nextBytes(key);
    OutboxSettings settings = new OutboxSettings(10_000_000, 1L << 30, 1 << 16, OutboxSettings.WhenFull.REFUSE,
        Duration.ofDays(7), params.concurrency(), Duration.ofMinutes(10), Duration.ofHours(1));
    NewMessage message = new NewMessage(Channel.WEBHOOK, Params.PARKED_URL,
        params.body().getBytes(StandardCharsets.UTF_8), Params.CONTENT_TYPE, Optional.empty(), Optional.empty());
    try (Vault vault = Vault.create(dir.resolve("in-process-" + producers).resolve("agent.db"),
            MasterKeySource.ofKey(Secret.wrap(key), "benchmark"), random);
        Outbox outbox = Outbox.open(vault, settings, Clock.systemUTC(), random)) {
      run(outbox, message, producers, Math.min(1.0, seconds));
      return run(outbox, message, producers, seconds);
    }
  }

  private static double run(Outbox outbox, NewMessage message, int producers, double seconds) throws Exception {
    AtomicLong done = new AtomicLong();
    long started = System.nanoTime();
    long deadline = started + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < producers; i++) {
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < deadline) {
            outbox.enqueue(message);
            done.incrementAndGet();
          }
        } catch (Exception e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    return done.get() / ((System.nanoTime() - started) / 1e9);
  }
}
