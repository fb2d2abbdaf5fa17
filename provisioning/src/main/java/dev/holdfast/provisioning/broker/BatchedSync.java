package dev.holdfast.provisioning.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.tinylog.Logger;

/**
 * {@link BrokerSync} for many small changes at once, as a fleet rotation makes them: each caller
 * has committed its change (recorded as pending) and asks to be told once the broker has taken it
 * ({@link #afterSync}); one sync on the executor serves every caller that asked before it began,
 * and those who ask while it runs are served by the next. The CRL is then written, checked and
 * signalled once per round instead of once per change, and a caller never waits for a CRL that was
 * built before its commit.
 *
 * <p>A failed sync is logged and stays pending in the registry (where {@code serve} retries it);
 * the callers are told all the same, as they would be after a failed single sync: what they
 * committed stands, and the broker catches up.
 */
public final class BatchedSync {
  private final BrokerSync sync;
  private final BrokerSync.Files files;
  private final Executor executor;
  private final String what;
  private final Object lock = new Object();
  // guarded by lock
  private List<Runnable> waiting = new ArrayList<>();
  private boolean running;

  /**
   * @param what the change, as the pending record and the log name it
   * @param executor where rounds run; one round at a time whatever it is
   */
  public BatchedSync(BrokerSync sync, BrokerSync.Files files, Executor executor, String what) {
    this.sync = sync;
    this.files = files;
    this.executor = executor;
    this.what = what;
  }

  /** Runs {@code then} after a sync that began after this call, on the executor's thread. */
  public void afterSync(Runnable then) {
    synchronized (lock) {
      waiting.add(then);
      if (running) {
        return;
      }
      running = true;
    }
    executor.execute(this::rounds);
  }

  private void rounds() {
    while (true) {
      List<Runnable> round;
      synchronized (lock) {
        if (waiting.isEmpty()) {
          running = false;
          return;
        }
        round = waiting;
        waiting = new ArrayList<>();
      }
      syncOnce(round.size());
      for (Runnable then : round) {
        try {
          then.run();
        } catch (RuntimeException e) {
          Logger.error(e, "after the broker sync");
        }
      }
    }
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
