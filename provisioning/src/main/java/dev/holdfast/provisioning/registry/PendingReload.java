package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A change the broker must read (CRL, ACL) that it has not taken yet: recorded in the transaction
 * that makes the change, cleared once the files are written, the broker re-read them and the open
 * sessions of the revoked devices are cut.
 *
 * @param since when the oldest change not yet taken was made
 * @param what the changes, for the operator ({@code devices show}, {@code broker reload})
 * @param sessionsToCut devices whose open MQTT session must still be closed
 * @param lastError why the last attempt to reload failed; empty before the first attempt
 */
public record PendingReload(Instant since, String what, Set<String> sessionsToCut, Optional<String> lastError) {
  public PendingReload {
    Checks.notNull(since, "pending-reload.since");
    Checks.notBlank(what, "pending-reload.what");
    sessionsToCut = Set.copyOf(Checks.notNull(sessionsToCut, "pending-reload.sessions-to-cut"));
    Checks.notNull(lastError, "pending-reload.last-error");
  }

  /** A new change on top of {@code existing} (if any): the oldest time stays, the sessions add up. */
  public static PendingReload add(Optional<PendingReload> existing, Instant at, String what, Set<String> cut) {
    if (existing.isEmpty()) {
      return new PendingReload(at, what, cut, Optional.empty());
    }
    PendingReload e = existing.get();
    Set<String> all = new TreeSet<>(e.sessionsToCut());
    all.addAll(cut);
    String joined = e.what().contains(what) ? e.what() : e.what() + "; " + what;
    return new PendingReload(e.since(), joined, all, e.lastError());
  }

  public PendingReload failed(String error) {
    return new PendingReload(since, what, sessionsToCut, Optional.of(error));
  }
}
