package dev.holdfast.provisioning.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * single rotation (a round of a few milliseconds) hardly waits.
 *
 * <p>A failed sync is logged and stays pending in the registry (where {@code serve} retries it);
 * the callers are told all the same, as they would be after a failed single sync: what they
 * committed stands, and the broker catches up.
 */
public final class BatchedSync {
  /** How many times as long as a round took {@code serve}'s sync thread rests after it (docs/decisions.md). */
  public static final int REST_FACTOR = 3;

  private final BrokerSync sync;
  private final BrokerSync.Files files;
  private final ScheduledExecutorService rounds;
  private final Clock clock;
  private final int restFactor;
  private final String what;
  private final Object lock = new Object();
  // guarded by lock
  private List<Runnable> waiting = new ArrayList<>();
  private boolean scheduled;
  private Instant nextAllowed = Instant.MIN;

  /**
   * @param rounds where rounds run; one round at a time whatever it is
   * @param restFactor how many times as long as a round took the next waits after it; 0 for none
   * @param what the change, as the pending record and the log name it
   */
  public BatchedSync(BrokerSync sync, BrokerSync.Files files, ScheduledExecutorService rounds, Clock clock,
      int restFactor, String what) {
    this.sync = sync;
    this.files = files;
    this.rounds = rounds;
    this.clock = clock;
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
    rounds.schedule(this::round, delay, TimeUnit.NANOSECONDS);
  }

  private long nanosToNextRound() {
    Instant now = clock.instant();
    return nextAllowed.isAfter(now) ? Duration.between(now, nextAllowed).toNanos() : 0;
  }

  private void round() {
    List<Runnable> round;
    synchronized (lock) {
      round = waiting;
      waiting = new ArrayList<>();
    }
    Instant began = clock.instant();
    syncOnce(round.size());
    Instant ended = clock.instant();
    synchronized (lock) {
      nextAllowed = ended.plus(Duration.between(began, ended).multipliedBy(restFactor));
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
    rounds.schedule(this::round, delay, TimeUnit.NANOSECONDS);
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
