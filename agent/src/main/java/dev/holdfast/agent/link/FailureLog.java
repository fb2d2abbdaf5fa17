package dev.holdfast.agent.link;

import java.time.Duration;
import java.time.Instant;

/**
 * When a failed connection attempt is worth a WARN line. The first failure after the link was up
 * (or at start) always is; while the broker stays unreachable, one WARN per {@link #EVERY} says how
 * many attempts failed since and the last reason, so a revoked or refused device stays visible in
 * the journal without one line per attempt. The attempts in between go to debug.
 */
final class FailureLog {
  /** The longest a link stays down without a WARN line. */
  static final Duration EVERY = Duration.ofMinutes(5);

  private Instant lastWarn = Instant.MIN;
  private int quiet;

  /** Decides for one failure; {@code firstInRow} when the link was up (or new) before it. */
  Decision failure(boolean firstInRow, Instant now) {
    if (firstInRow || !now.isBefore(lastWarn.plus(EVERY))) {
      int suppressed = firstInRow ? 0 : quiet;
      lastWarn = now;
      quiet = 0;
      return new Decision(true, suppressed);
    }
    quiet++;
    return new Decision(false, 0);
  }

  /**
   * @param warn log this failure at WARN (else at debug)
   * @param suppressedSince failures logged at debug since the last WARN
   */
  record Decision(boolean warn, int suppressedSince) {}
}
