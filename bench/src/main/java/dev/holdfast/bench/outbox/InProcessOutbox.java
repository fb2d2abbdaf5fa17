package dev.holdfast.bench.outbox;

import dev.holdfast.agent.config.OutboxSettings;
import dev.holdfast.agent.local.LocalApiHandler;
import dev.holdfast.agent.local.LocalApiServer;
import dev.holdfast.agent.outbox.Channel;
import dev.holdfast.agent.outbox.DeliveryOutcome;
import dev.holdfast.agent.outbox.Dispatcher;
import dev.holdfast.agent.outbox.NewMessage;
import dev.holdfast.agent.outbox.Outbox;
import dev.holdfast.agent.outbox.RetryPolicy;
import dev.holdfast.agent.outbox.Sender;
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
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A diagnostic step between the bare vault and the agent: {@link Outbox#enqueue} called in this
 * JVM (group committer, sealing, vault), without the socket, JSON or a second process.
 */
final class InProcessOutbox {
  private InProcessOutbox() {}

  /**
   * @param withDispatcher also run the agent's {@link Dispatcher} (woken by every commit) with a
   *     sender that always answers "retry", as in the agent while the records stay parked
   */
  static double enqueueRate(Path dir, Params params, int producers, double seconds, boolean withDispatcher)
      throws Exception {
    return enqueueRate(dir, params, producers, seconds, withDispatcher, false);
  }

  /** @param throughSocket serve the agent's local API in this JVM and enqueue through it */
  static double enqueueRate(Path dir, Params params, int producers, double seconds, boolean withDispatcher,
      boolean throughSocket) throws Exception {
    byte[] key = new byte[32];
    SecureRandom random = new SecureRandom();
    random.nextBytes(key);
    OutboxSettings settings = new OutboxSettings(10_000_000, 1L << 30, 1 << 16, OutboxSettings.WhenFull.REFUSE,
        Duration.ofDays(7), params.concurrency(), Duration.ofMinutes(10), Duration.ofHours(1));
    NewMessage message = new NewMessage(Channel.WEBHOOK, Params.PARKED_URL,
        params.body().getBytes(StandardCharsets.UTF_8), Params.CONTENT_TYPE, Optional.empty(), Optional.empty());
    try (Vault vault = Vault.create(dir.resolve("outbox-" + producers + "-" + withDispatcher + throughSocket + ".db"),
            MasterKeySource.ofKey(Secret.wrap(key), "benchmark"), random);
        Outbox outbox = Outbox.open(vault, settings, Clock.systemUTC(), random)) {
      Dispatcher dispatcher = null;
      if (withDispatcher) {
        Sender parked = r -> new DeliveryOutcome.Retry("parked", Optional.empty());
        dispatcher = new Dispatcher(outbox, r -> parked, new RetryPolicy(Duration.ofMinutes(10), Duration.ofHours(1)),
            params.concurrency(), Clock.systemUTC(), Executors.newSingleThreadScheduledExecutor(),
            Executors.newFixedThreadPool(params.concurrency()));
        dispatcher.start();
      }
      try {
        if (throughSocket) {
          return throughLocalApi(dir, outbox, params, producers, seconds);
        }
        run(outbox, message, producers, Math.min(1.0, seconds));
        return run(outbox, message, producers, seconds);
      } finally {
        if (dispatcher != null) {
          dispatcher.shutdown(Duration.ofSeconds(5));
        }
      }
    }
  }

  private static double throughLocalApi(Path dir, Outbox outbox, Params params, int producers, double seconds)
      throws Exception {
    Path socket = dir.resolve("in-process-" + producers + ".sock");
    LocalApiServer server = new LocalApiServer(socket, new LocalApiHandler(outbox), Executors.newFixedThreadPool(16));
    server.start();
    try {
      EnqueueLoad load = new EnqueueLoad(socket, Params.PARKED_URL, params.body());
      load.run(producers, Math.min(1.0, seconds));
      return load.run(producers, seconds);
    } finally {
      server.close();
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
