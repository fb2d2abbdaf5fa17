package dev.holdfast.agent.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a certificate is renewed: at 2/3 of its lifetime, jittered uniformly by up to 1/12 of the
 * lifetime either way (so a fleet enrolled in one afternoon does not renew in one minute), i.e.
 * between 7/12 and 3/4 of it. The last quarter is left for retries: with the capped backoff a
 * reachable device has many attempts before it expires. Pure: the certificate's dates and the
 * randomness in, the instant out.
 */
public final class RenewalPolicy {
  static final double AT = 2.0 / 3.0;
  static final double JITTER = 1.0 / 12.0;

  private RenewalPolicy() {}

  /** The instant at which renewal of a certificate valid from {@code notBefore} to {@code notAfter} is due. */
  public static Instant due(Instant notBefore, Instant notAfter, RandomGenerator random) {
    long lifetime = Duration.between(notBefore, notAfter).toMillis();
    if (lifetime <= 0) {
      return notBefore;
    }
    double fraction = AT + (random.nextDouble() * 2 - 1) * JITTER;
    return notBefore.plusMillis((long) (lifetime * fraction));
  }
}
