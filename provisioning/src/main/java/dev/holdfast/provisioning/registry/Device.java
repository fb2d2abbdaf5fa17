package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * A device of the fleet. Its id is assigned by the service and is the CN of its certificates.
 *
 * @param currentSerial the serial of the certificate the device uses now
 * @param pendingSerial during a rotation, the serial issued but not yet confirmed
 */
public record Device(
    String id,
    String profile,
    Instant createdAt,
    State state,
    RotationState rotation,
    Optional<String> currentSerial,
    Optional<String> pendingSerial) {

  /** Whether the device may still hold credentials. */
  public enum State {
    ACTIVE,
    REVOKED
  }

  /** Where a credential rotation of this device stands; each step is persisted before the next. */
  public enum RotationState {
    /** No rotation under way. */
    IDLE,
    /** New credentials issued; waiting for the device to confirm with the new key. */
    PENDING_CONFIRMATION
  }

  public Device {
    Checks.notBlank(id, "device.id");
    Checks.notBlank(profile, "device.profile");
    Checks.notNull(createdAt, "device.created-at");
    Checks.notNull(state, "device.state");
    Checks.notNull(rotation, "device.rotation");
    Checks.notNull(currentSerial, "device.current-serial");
    Checks.notNull(pendingSerial, "device.pending-serial");
  }

  public static Device enrolled(String id, String profile, Instant at) {
    return new Device(id, profile, at, State.ACTIVE, RotationState.IDLE, Optional.empty(), Optional.empty());
  }

  public Device withCurrentSerial(String serial) {
    return new Device(id, profile, createdAt, state, rotation, Optional.of(serial), pendingSerial);
  }

  /** A certificate issued for the device's next key, waiting for the device to confirm it. */
  public Device withPendingSerial(String serial) {
    return new Device(id, profile, createdAt, state, RotationState.PENDING_CONFIRMATION, currentSerial,
        Optional.of(serial));
  }

  /** The pending certificate confirmed: it is the current one now, and no rotation is under way. */
  public Device withPendingConfirmed() {
    return new Device(id, profile, createdAt, state, RotationState.IDLE, pendingSerial.or(() -> currentSerial),
        Optional.empty());
  }

  /** The pending certificate dropped (a newer rotation replaces it): the current one stays. */
  public Device withoutPending() {
    return new Device(id, profile, createdAt, state, RotationState.IDLE, currentSerial, Optional.empty());
  }

  public Device withState(State newState) {
    return new Device(id, profile, createdAt, newState, rotation, currentSerial, pendingSerial);
  }
}
