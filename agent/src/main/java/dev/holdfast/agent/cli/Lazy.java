package dev.holdfast.agent.cli;

import java.util.function.Supplier;

/**
 * A value made on first use, once. The agent defers what loads hundreds of classes or starts
 * threads (the HTTP clients and their TLS contexts) until a record needs it: most devices never
 * send a webhook, and none needs HTTP to become ready (docs/benchmarks/footprint.md).
 */
final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> make;
  private volatile T value;

  Lazy(Supplier<T> make) {
    this.make = make;
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = make.get();
          value = v;
        }
      }
    }
    return v;
  }
}
