package dev.holdfast.common;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a use case came to: {@link Ok} with a value, or {@link Refused} with a reason the caller must
 * handle (an enum of the feature's own, so each edge maps it with one {@code switch}: the HTTP API to a
 * status, the command line to an exit code) and a sentence for a person. Replaces {@code null} for
 * "not found", {@code Object} results and checked exceptions carried out of transactions: a refusal
 * is an ordinary return value, so a transaction that refuses commits only what it wrote on purpose.
 *
 * @param <T> what a success carries
 * @param <R> the feature's reasons for refusing
 */
public sealed interface Result<T, R extends Enum<R>> {
  /** Done; {@code value} is the outcome. */
  record Ok<T, R extends Enum<R>>(T value) implements Result<T, R> {}

  /** Not done, for {@code reason}; {@code message} says what is wrong and what to do. */
  record Refused<T, R extends Enum<R>>(R reason, String message) implements Result<T, R> {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    /** The same refusal as a result of another type (it carries no value). */
    public <U> Refused<U, R> cast() {
      return new Refused<>(reason, message);
    }
  }

  static <T, R extends Enum<R>> Result<T, R> ok(T value) {
    return new Ok<>(value);
  }

  static <T, R extends Enum<R>> Result<T, R> refused(R reason, String message) {
    return new Refused<>(reason, message);
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value of a success. */
  default Optional<T> ok() {
    return this instanceof Ok<T, R> ok ? Optional.of(ok.value()) : Optional.empty();
  }

  /** The reason of a refusal. */
  default Optional<R> refusal() {
    return this instanceof Refused<T, R> r ? Optional.of(r.reason()) : Optional.empty();
  }

  /** A success's value transformed; a refusal passed on as it is. */
  default <U> Result<U, R> map(Function<? super T, ? extends U> f) {
    return this instanceof Ok<T, R> ok ? new Ok<>(f.apply(ok.value())) : ((Refused<T, R>) this).cast();
  }

  /** The value, or the exception {@code failure} makes of the refusal (at an edge: a CLI, a test). */
  default <X extends Throwable> T orElseThrow(Function<? super Refused<T, R>, X> failure) throws X {
    if (this instanceof Ok<T, R> ok) {
      return ok.value();
    }
    throw failure.apply((Refused<T, R>) this);
  }
}
