package dev.holdfast.provisioning.registry;

import dev.holdfast.provisioning.support.Checks;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A device of the fleet. Its id is assigned by the service and is the CN of its certificates.
 *
 * @param currentSerial the serial of the certificate the device uses now
 * @param pendingSerial during a rotation, the serial issued but not yet confirmed
 * @param labels the cohorts it is in ({@link Labels}): its token's profile's at enrollment, changed
 *     later by {@code devices label}
 */
public record Device(
    String id,
    String profile,
    Instant createdAt,
    State state,
    RotationState rotation,
    Optional<String> currentSerial,
    Optional<String> pendingSerial,
    SortedSet<String> labels) {

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
    labels = Labels.of(Checks.notNull(labels, "device.labels"));
  }

  public static Device enrolled(String id, String profile, Instant at) {
    return new Device(id, profile, at, State.ACTIVE, RotationState.IDLE, Optional.empty(), Optional.empty(),
        new TreeSet<>());
  }

  public Device withCurrentSerial(String serial) {
    return new Device(id, profile, createdAt, state, rotation, Optional.of(serial), pendingSerial, labels);
  }

  /** A certificate issued for the device's next key, waiting for the device to confirm it. */
  public Device withPendingSerial(String serial) {
    return new Device(id, profile, createdAt, state, RotationState.PENDING_CONFIRMATION, currentSerial,
        Optional.of(serial), labels);
  }

  /** The pending certificate confirmed: it is the current one now, and no rotation is under way. */
  public Device withPendingConfirmed() {
    return new Device(id, profile, createdAt, state, RotationState.IDLE, pendingSerial.or(() -> currentSerial),
        Optional.empty(), labels);
  }

  /** The pending certificate dropped (a newer rotation replaces it): the current one stays. */
  public Device withoutPending() {
    return new Device(id, profile, createdAt, state, RotationState.IDLE, currentSerial, Optional.empty(), labels);
  }

  public Device withState(State newState) {
    return new Device(id, profile, createdAt, newState, rotation, currentSerial, pendingSerial, labels);
  }

  /** @throws IllegalArgumentException as {@link Labels#of} */
  public Device withLabels(Collection<String> newLabels) {
    return new Device(id, profile, createdAt, state, rotation, currentSerial, pendingSerial, Labels.of(newLabels));
  }

  public boolean hasLabel(String label) {
    return labels.contains(label);
  }
}
