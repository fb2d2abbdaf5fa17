package dev.holdfast.provisioning.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * {@link BrokerSync} for many small changes at once, as a fleet rotation makes them: each caller
 * has committed its change (recorded as pending) and asks to be told once the broker has taken it
 * ({@link #afterSync}); one sync on the executor serves every caller that asked before it began,
 * and those who ask while it runs are served by the next. The CRL is then written, checked and
 * signalled once per round instead of once per change, and a caller never waits for a CRL that was
 * built before its commit.
 *
 * <p>After a round the thread rests {@code restFactor} times as long as the round took before
 * the next begins: a round's cost (the CRL of every revoked certificate built, signed and written,
 * the broker re-reading it) grows with the fleet, and without a rest a steady stream of confirms
 * kept one core rebuilding the CRL. With a rest of three times the round, rounds take at most a
 * quarter of a core, whatever the fleet; a change after a quiet spell is taken at once, and a
 * single rotation (a round of a few milliseconds) hardly waits. Rounds are timed on a monotonic
 * ticker (a wall clock stepped by NTP would stretch the rest), and no rest is longer than
 * {@link #MAX_REST} (a round that waited out a slow broker signal must not hold the next answers
 * for long). When the executor refuses a round (it is shutting down), the round runs on the
 * calling thread: nobody who asked is left untold.
 *
 * <p>A failed sync is logged and stays pending in the registry (where {@code serve} retries it);
 * the callers are told all the same, as they would be after a failed single sync: what they
 * committed stands, and the broker catches up.
 */
public final class BatchedSync {
  /** How many times as long as a round took {@code serve}'s sync thread rests after it (docs/decisions.md). */
  public static final int REST_FACTOR = 3;
  /** The longest rest after a round, however long it took. */
  public static final Duration MAX_REST = Duration.ofSeconds(1);

  private final BrokerSync sync;
  private final BrokerSync.Files files;
  private final ScheduledExecutorService rounds;
  private final LongSupplier ticker;
  private final int restFactor;
  private final String what;
  private final Object lock = new Object();
  // guarded by lock
  private List<Runnable> waiting = new ArrayList<>();
  private boolean scheduled;
  private long nextAllowed; // on the ticker: the earliest a round may begin

  /**
   * @param rounds where rounds run; one round at a time whatever it is
   * @param ticker nanoseconds from a monotonic source ({@code System::nanoTime})
   * @param restFactor how many times as long as a round took the next waits after it; 0 for none
   * @param what the change, as the pending record and the log name it
   */
  public BatchedSync(BrokerSync sync, BrokerSync.Files files, ScheduledExecutorService rounds, LongSupplier ticker,
      int restFactor, String what) {
    this.sync = sync;
    this.files = files;
    this.rounds = rounds;
    this.ticker = ticker;
    this.nextAllowed = ticker.getAsLong();
    this.restFactor = restFactor;
    this.what = what;
  }

  /** Runs {@code then} after a sync that began after this call, on the rounds' thread. */
  public void afterSync(Runnable then) {
    long delay;
    synchronized (lock) {
      waiting.add(then);
      if (scheduled) {
        return;
      }
      scheduled = true;
      delay = nanosToNextRound();
    }
    schedule(delay);
  }

  private long nanosToNextRound() {
    return Math.max(0, nextAllowed - ticker.getAsLong());
  }

  private void schedule(long delayNanos) {
    try {
      rounds.schedule(this::round, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shuttingDown) {
      round();
    }
  }

  private void round() {
    List<Runnable> round;
    synchronized (lock) {
      round = waiting;
      waiting = new ArrayList<>();
    }
    long began = ticker.getAsLong();
    syncOnce(round.size());
    long ended = ticker.getAsLong();
    synchronized (lock) {
      nextAllowed = ended + Math.min((ended - began) * restFactor, MAX_REST.toNanos());
    }
    for (Runnable then : round) {
      try {
        then.run();
      } catch (RuntimeException e) {
        Logger.error(e, "after the broker sync");
      }
    }
    long delay;
    synchronized (lock) {
      if (waiting.isEmpty()) {
        scheduled = false;
        return;
      }
      delay = nanosToNextRound();
    }
    schedule(delay);
  }

  private void syncOnce(int changes) {
    try {
      sync.sync(what, files);
      Logger.debug("the broker took {} change(s): {}", changes, what);
    } catch (BrokerReloadException e) {
      Logger.error("the broker has not taken {}: {}; 'serve' retries it", what, e.getMessage());
    } catch (Exception e) {
      Logger.error("the broker's files were not written for {} ({}); the broker still accepts what was revoked "
          + "until they are: 'serve' retries it, or run 'holdfast-provisioning broker reload'", what, e.getMessage());
    }
  }
}
