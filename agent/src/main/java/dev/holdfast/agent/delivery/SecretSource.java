package dev.holdfast.agent.delivery;

import dev.holdfast.protocol.crypto.Secret;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A named secret a sender needs, read afresh at each attempt (so a new value applies without a
 * restart). The caller of {@link #read()} destroys what it gets when done.
 *
 * @param name the vault secret's name, for messages that say what to set
 */
public record SecretSource(String name, Supplier<Optional<Secret>> reader) {
  public Optional<Secret> read() {
    return reader.get();
  }

  @Override
  public String toString() {
    return "SecretSource[" + name + "]";
  }
}
