package dev.holdfast.agent.outbox;

/**
 * When the committer writes what is queued: a pure function of what is waiting and for how long.
 *
 * <p>Every batch costs a flush and rewrites the partly filled page at the log's end, so each one
 * should carry as many changes as are coming anyway, and no caller should wait for nothing:
 * <ul>
 *   <li>a caller waits for its change (an enqueue): commit as soon as every caller that has been
 *       submitting lately has something queued — a lone producer is never held up, sixteen share
 *       one flush — or when the oldest has waited {@code waitingLinger};
 *   <li>only changes nobody waits for (delivery outcomes): gather up to {@code asyncBatch} of them
 *       or for {@code asyncLinger};
 *   <li>{@code maxBatch} queued: commit at once.
 * </ul>
 */
final class Linger {
  private Linger() {}

  /** The limits; times in nanoseconds. */
  record Limits(int maxBatch, long waitingLinger, int asyncBatch, long asyncLinger) {
    static final Limits DEFAULT = new Limits(4096, 2_000_000L, 256, 20_000_000L);
  }

  /**
   * What is queued: changes whose callers wait and those nobody waits for, how long the oldest of
   * each has waited (ns; 0 when there is none), and how many distinct callers submitted lately.
   */
  record Queue(int waiting, int async, long oldestWaitingAge, long oldestAsyncAge, int recentCallers) {}

  /** What to do now. */
  sealed interface Decision {}

  /** Commit what is queued, now. */
  record Commit() implements Decision {}

  /** Look again in {@code nanos} (or when something new arrives). */
  record Wait(long nanos) implements Decision {}

  /** Nothing queued. */
  record Idle() implements Decision {}

  static final Decision COMMIT = new Commit();
  static final Decision IDLE = new Idle();

  static Decision decide(Queue q, Limits limits) {
    int total = q.waiting() + q.async();
    if (total == 0) {
      return IDLE;
    }
    if (total >= limits.maxBatch()) {
      return COMMIT;
    }
    if (q.waiting() > 0) {
      if (q.waiting() >= q.recentCallers() || q.oldestWaitingAge() >= limits.waitingLinger()) {
        return COMMIT;
      }
      return new Wait(limits.waitingLinger() - q.oldestWaitingAge());
    }
    if (q.async() >= limits.asyncBatch() || q.oldestAsyncAge() >= limits.asyncLinger()) {
      return COMMIT;
    }
    return new Wait(limits.asyncLinger() - q.oldestAsyncAge());
  }
}
