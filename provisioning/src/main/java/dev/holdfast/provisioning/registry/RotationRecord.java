package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * A device's latest credential rotation (one per device, keyed by its id): which request it
 * answers, what it replaced and issued, and the answers given, so a repeated request gets the
 * same answer and never a second certificate. Holds no secret: the new API key is in {@code
 * renewAnswer} only sealed to the device's new key.
 *
 * @param renewAnswer the signed renew answer (JSON) as sent
 * @param confirmAnswer once confirmed: the signed confirm answer (JSON) as sent
 */
public record RotationRecord(
    String deviceId,
    String requestId,
    State state,
    String oldSerial,
    String newSerial,
    String oldKeyId,
    String newKeyId,
    Instant requestedAt,
    String renewAnswer,
    Optional<Instant> confirmedAt,
    Optional<String> confirmAnswer) {

  /** Where the rotation stands. */
  public enum State {
    /** New credentials issued; old ones still valid; waiting for the confirm signed by the new key. */
    PENDING,
    /** Confirmed: the old certificate and key are revoked. */
    CONFIRMED,
    /** Replaced by a newer renew of the same device before it was confirmed; its credentials are revoked. */
    SUPERSEDED
  }

  public RotationRecord {
    Checks.notBlank(deviceId, "rotation.device");
    Checks.notBlank(requestId, "rotation.request-id");
    Checks.notNull(state, "rotation.state");
    Checks.notBlank(oldSerial, "rotation.old-serial");
    Checks.notBlank(newSerial, "rotation.new-serial");
    Checks.notBlank(oldKeyId, "rotation.old-key");
    Checks.notBlank(newKeyId, "rotation.new-key");
    Checks.notNull(requestedAt, "rotation.requested-at");
    Checks.notBlank(renewAnswer, "rotation.renew-answer");
    Checks.notNull(confirmedAt, "rotation.confirmed-at");
    Checks.notNull(confirmAnswer, "rotation.confirm-answer");
  }

  public RotationRecord confirmed(Instant at, String answer) {
    return new RotationRecord(deviceId, requestId, State.CONFIRMED, oldSerial, newSerial, oldKeyId, newKeyId,
        requestedAt, renewAnswer, Optional.of(at), Optional.of(answer));
  }

  public RotationRecord superseded() {
    return new RotationRecord(deviceId, requestId, State.SUPERSEDED, oldSerial, newSerial, oldKeyId, newKeyId,
        requestedAt, renewAnswer, confirmedAt, confirmAnswer);
  }

  @Override
  public String toString() {
    return "RotationRecord[" + deviceId + " " + requestId + " " + state + " " + oldSerial + " -> " + newSerial
        + ", key " + oldKeyId + " -> " + newKeyId + "]";
  }
}
