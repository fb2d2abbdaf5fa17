package dev.holdfast.provisioning.registry.mapdb;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An in-memory index of some records, kept by the commits that put them. It has no answer until a
 * scan of every record installs it, and a scan is installed only when no such commit came between
 * its start ({@link #commits}) and its end: it might have missed that commit's records. After that
 * every commit that put records changes it; a commit that failed (and may have landed) drops it,
 * and the next scan rebuilds it.
 *
 * @param <S> what the index holds
 */
abstract class CommitKeptIndex<S> {
  private S index; // null until installed
  private long commits;

  /** What an install compares: how many commits have put records so far. */
  final synchronized long commits() {
    return commits;
  }

  /** {@code read} of the index, or empty while there is none. */
  final synchronized <R> Optional<R> reading(Function<S, R> read) {
    return index == null ? Optional.empty() : Optional.of(read.apply(index));
  }

  /** Installs what {@code built} gives, from a scan begun when {@link #commits} was {@code at}. */
  final synchronized void installing(Supplier<S> built, long at) {
    if (index == null && commits == at) {
      index = built.get();
    }
  }

  /** After a transaction that put records: {@code change} made to the index if it committed, else dropped. */
  final synchronized void after(boolean committed, Consumer<S> change) {
    commits++;
    if (!committed) {
      index = null;
    } else if (index != null) {
      change.accept(index);
    }
  }
}
