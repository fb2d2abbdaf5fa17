package dev.holdfast.agent.link;

import java.util.random.RandomGenerator;

/** A random generator that always draws the lowest or the highest value a bound allows. */
final class FixedRandom implements RandomGenerator {
  private final boolean highest;

  private FixedRandom(boolean highest) {
    this.highest = highest;
  }

  static FixedRandom highest() {
    return new FixedRandom(true);
  }

  static FixedRandom lowest() {
    return new FixedRandom(false);
  }

  @Override
  public long nextLong() {
    return highest ? Long.MAX_VALUE : 0;
  }

  @Override
  public long nextLong(long bound) {
    return highest ? bound - 1 : 0;
  }
}
