package dev.holdfast.bench.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * N producer threads that send webhooks through the agent's socket, each message with its own
 * idempotency key. A message is acknowledged when the answer says ok; one whose answer was lost
 * (the agent died) or refused goes back to the queue, to be sent again with the same key once the
 * agent is back, so every key that reaches the receiver ends up with an acknowledgement.
 */
public final class Producers {
  /** One webhook to send. */
  public record Message(String key, String url, String body) {}

  private Producers() {}

  /**
   * Starts {@code n} threads that take messages from {@code pending} until it is empty or their
   * send fails; each acknowledged key is added to {@code acked}.
   */
  public static List<Thread> start(Path socket, int n, ConcurrentLinkedQueue<Message> pending, Set<String> acked) {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(() -> {
        try (Producer producer = new Producer(socket)) {
          Message m;
          while ((m = pending.poll()) != null) {
            if (producer.send(Producer.webhook(m.url(), m.key(), m.body())) == Producer.Outcome.ACKED) {
              acked.add(m.key());
            } else {
              pending.add(m); // in doubt: send again, with the same key, once the agent is back
              return;
            }
          }
        }
      }, "producer-" + i);
      t.start();
      threads.add(t);
    }
    return threads;
  }

  /** Sends until {@code pending} is empty, waiting for every thread; a failed send ends a round. */
  public static void sendAll(Path socket, int n, ConcurrentLinkedQueue<Message> pending, Set<String> acked)
      throws InterruptedException {
    for (Thread t : start(socket, n, pending, acked)) {
      t.join();
    }
  }
}
