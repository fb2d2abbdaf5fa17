package dev.holdfast.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Polls a condition until a deadline; on timeout fails with the broker's log. */
final class Waits {
  private static final Duration POLL = Duration.ofMillis(10);

  private Waits() {}

  static void until(Duration deadline, BooleanSupplier condition, String what, Mosquitto broker) {
    try {
      Awaitility.await(what).atMost(deadline).pollDelay(Duration.ZERO).pollInterval(POLL).pollInSameThread()
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("timed out after " + deadline.toSeconds() + " s waiting for " + what
          + "; broker log:\n" + broker.log(), e);
    }
  }
}
