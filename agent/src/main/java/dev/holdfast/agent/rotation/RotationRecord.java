package dev.holdfast.agent.rotation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The rotation's own record in the vault (the keys and credential sets live in the identity
 * collections). Holds no secret: the request is signed, not secret.
 *
 * @param requestId the id the service knows this rotation by (from {@link RotationStep#KEY_PENDING} on)
 * @param request the renew request's JSON (from {@link RotationStep#REQUESTED} on)
 * @param failures consecutive failed attempts of this step (the backoff's input)
 * @param nextAttempt when an automatic attempt may run again after a failure
 * @param lastResult how the last rotation ended ("rotated: ...", "failed: ...")
 */
public record RotationRecord(RotationStep step, Optional<String> requestId, Optional<String> request, int failures,
    Optional<Instant> nextAttempt, Optional<String> lastResult, Optional<Instant> lastResultAt) {
  public RotationRecord {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(nextAttempt, "nextAttempt");
    Objects.requireNonNull(lastResult, "lastResult");
    Objects.requireNonNull(lastResultAt, "lastResultAt");
  }

  public static RotationRecord idle() {
    return new RotationRecord(RotationStep.IDLE, Optional.empty(), Optional.empty(), 0, Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  RotationRecord at(RotationStep next) {
    return new RotationRecord(next, requestId, request, 0, Optional.empty(), lastResult, lastResultAt);
  }

  RotationRecord started(String id) {
    return new RotationRecord(RotationStep.KEY_PENDING, Optional.of(id), Optional.empty(), 0, Optional.empty(),
        lastResult, lastResultAt);
  }

  RotationRecord requested(String json) {
    return new RotationRecord(RotationStep.REQUESTED, requestId, Optional.of(json), 0, Optional.empty(), lastResult,
        lastResultAt);
  }

  RotationRecord failedAttempt(Instant next) {
    return new RotationRecord(step, requestId, request, failures + 1, Optional.of(next), lastResult, lastResultAt);
  }

  /** Whether the last rotation ended with the new credentials confirmed at or after {@code since}. */
  public boolean rotatedSince(Instant since) {
    return step == RotationStep.IDLE && lastResult.filter(r -> r.startsWith(Rotator.ROTATED)).isPresent()
        && lastResultAt.filter(at -> !at.isBefore(since)).isPresent();
  }

  /** Back to idle with how it ended; {@code next} holds automatic triggers off after a failure. */
  RotationRecord ended(String result, Instant at, Optional<Instant> next, int failuresSoFar) {
    return new RotationRecord(RotationStep.IDLE, Optional.empty(), Optional.empty(), failuresSoFar, next,
        Optional.of(result), Optional.of(at));
  }
}
